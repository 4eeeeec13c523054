"""The navigation: every module's entry on a desktop, a short tab bar plus "More" on a phone."""

import re

from portal.modules import modules


def _tabbar(html: str) -> str:
    return re.search(r'<nav class="tabbar".*?</nav>', html, re.S).group(0)


def test_the_tab_bar_holds_home_three_modules_and_more(client, auth, make_user):
    auth.login(make_user("employee"))
    tabbar = _tabbar(client.get("/").get_data(as_text=True))
    assert tabbar.count("<a ") == 5
    assert '>首页<' in tabbar and '>更多<' in tabbar and 'href="/more"' in tabbar


def test_more_lists_every_destination_this_person_may_open(client, auth, make_user):
    auth.login(make_user("employee", "office"))
    page = client.get("/more").get_data(as_text=True)
    listed = re.search(r'<nav class="morelist".*?</nav>', page, re.S).group(0)
    for module in modules():
        if module.nav:
            assert f'href="/{module.name}/"' in listed, module.name
    assert 'href="/admin/' in listed and "全部功能" in page
    assert 'aria-current="page">更多<' in _tabbar(page)


def test_more_leaves_out_what_the_role_may_not_open(client, auth, make_user):
    auth.login(make_user("employee"))
    listed = client.get("/more").get_data(as_text=True)
    assert 'href="/admin/' not in listed
