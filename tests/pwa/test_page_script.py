"""The page script is a few ES modules under static/js/app/, loaded as a module with no build
step; the offline page names every one of them, so the service worker keeps them all."""

import re
from pathlib import Path

import portal

APP = Path(portal.__file__).parent.parent / "static" / "js" / "app"


def test_the_offline_page_loads_main_as_a_module_and_names_every_module(client):
    html = client.get("/offline").get_data(as_text=True)
    assert re.search(r'<script type="module" src="/static/js/app/main\.js\?v=\w+">', html)
    named = set(re.findall(r'href="/static/js/app/([\w-]+\.js)"', html))
    assert named == {path.name for path in APP.glob("*.js")} - {"main.js"}
    assert "js/app.js" not in html


def test_every_import_names_a_module_that_exists():
    for path in APP.glob("*.js"):
        for name in re.findall(r'^import .*?"\./([\w-]+\.js)";$', path.read_text(), re.M):
            assert (APP / name).is_file(), (path.name, name)


def test_a_module_is_served_with_a_javascript_type_and_revalidated(client):
    response = client.get("/static/js/app/outbox-ui.js")
    assert response.mimetype in {"text/javascript", "application/javascript"}
    assert response.cache_control.no_cache  # imports carry no version: always asked again
