"""The module declares itself: one line in MODULE_PACKAGES, real objects for every path argument."""

from portal.modules import MODULE_PACKAGES, modules


def test_the_shuttle_is_in_the_module_list_once(app):
    assert MODULE_PACKAGES.count("portal.blueprints.shuttle") == 1
    shuttle = next(m for m in modules() if m.name == "shuttle")
    assert set(shuttle.documents) == {"shuttle_route_pdf", "shuttle_sheet_pdf"}
    assert shuttle.nav.endpoint == "shuttle.index" and shuttle.demo is not None


def test_url_arguments_build_every_path_argument_of_its_pages(app, client, auth, make_user,
                                                             make_department):
    shuttle = next(m for m in modules() if m.name == "shuttle")
    arguments = shuttle.url_arguments(make_user, make_department)
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("shuttle.")]
    assert set().union(*(r.arguments for r in rules)) <= set(arguments)
    auth.login(make_user("employee", "facilities"))
    for rule in rules:
        if "GET" in rule.methods:
            url = rule.rule
            for name in rule.arguments:
                url = url.replace(f"<int:{name}>", str(arguments[name])).replace(
                    f"<{name}>", str(arguments[name]))
            assert client.get(url).status_code in (200, 302), url
