"""Issue 11 at 360 px: nothing wider than the phone, every sub-menu entry in sight, the rooms
list as cards, and the lab note on the request form once lab equipment is chosen."""

import pytest

from portal.blueprints.repairs import services
from portal.blueprints.repairs.models import Asset, Location
from portal.extensions import db

# Elements sticking out of the 360 px viewport (the skip link and .visually-hidden text, kept
# out of sight on purpose, are 1 px or wholly off to the left).
TOO_WIDE = """() => [...document.querySelectorAll('body *')].filter(e => {
    const r = e.getBoundingClientRect();
    return r.width > 1 && r.right > 0 && (r.right > innerWidth + 0.5 || r.left < -0.5);
  }).map(e => e.tagName + '.' + e.className + ': ' + (e.textContent || '').trim().slice(0, 30))"""
# Sub-menu entries that are not wholly inside the viewport (cut off, or scrolled out of sight).
OUT_OF_SIGHT = """() => [...document.querySelectorAll('nav.subnav a')].filter(a => {
    const r = a.getBoundingClientRect();
    return r.width === 0 || r.left < 0 || r.right > innerWidth + 0.5;
  }).map(a => a.textContent.trim())"""

REPAIR_PAGES = ["/repairs/queue", "/repairs/figures", "/repairs/places", "/repairs/rota",
                "/repairs/settings", "/repairs/new", "/repairs/"]
CANTEEN_PAGES = ["/canteen/", "/canteen/manage", "/canteen/tonight", "/canteen/ratings",
                 "/canteen/dishes", "/canteen/settings"]


def _seed(requester) -> int:
    """Long building names (the ones that wrapped onto three lines), rooms with devices."""
    first = None
    for building in ("综合实验楼（东区）B座", "办公楼A栋"):
        room = Location(building=building, floor="1层", room="大堂")
        lab = Location(building=building, floor="2层", room="理化分析实验室201")
        db.session.add_all([room, lab, Asset(code=f"LAB-{len(building)}", name="高效液相色谱仪",
                                             category="lab", location=lab)])
        db.session.flush()
        first = first or lab
    repair = services.submit_request(requester, {
        "category": "aircon", "urgency": "normal", "location_id": first.id,
        "description": "空调不制冷"}, [])
    db.session.commit()
    return repair.id


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_repairs_and_canteen_pages_fit_a_360_px_phone(pages, make_user, language):
    user = make_user("employee", "facilities", "canteen", name="周志强", language=language)
    request_id = _seed(user)
    page = pages.login(pages.new_page(), user)
    problems = {}
    for url in [*REPAIR_PAGES, f"/repairs/{request_id}", *CANTEEN_PAGES]:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        wide = page.evaluate(TOO_WIDE)
        hidden = page.evaluate(OUT_OF_SIGHT)
        if wide or hidden or page.evaluate("document.documentElement.scrollWidth") > 360:
            problems[url] = {"wider than the phone": wide, "sub-menu out of sight": hidden}
    assert problems == {}, "\n".join(f"{url}: {found}" for url, found in problems.items())
    # The entries that used to be cut off are there and in sight.
    page.goto("/canteen/dishes")
    assert page.locator("nav.subnav a").last.is_visible()
    page.goto("/repairs/places")
    assert page.locator("nav.subnav a").count() == 5


def test_rooms_and_devices_are_cards_on_a_phone(pages, make_user):
    user = make_user("employee", "facilities", name="周志强")
    _seed(user)
    page = pages.login(pages.new_page(), user, next_path="/repairs/places")
    assert page.locator("table.places-table thead").is_visible() is False or \
        page.locator("table.places-table thead").bounding_box()["height"] <= 1
    building = page.locator("td.building", has_text="综合实验楼（东区）B座").first
    # One line for the building (it used to wrap onto three), beside the floor.
    assert page.evaluate("e => e.getClientRects().length", building.element_handle()) == 1
    card = page.locator("table.places-table tbody tr").first
    box = card.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    # Edit, take out of use and the QR label sit side by side, not stacked.
    links = card.locator("td.room .row-links > *")
    assert links.count() == 3
    tops = {round(links.nth(i).bounding_box()["y"]) for i in range(3)}
    assert len(tops) == 1, tops


def test_the_lab_note_shows_once_lab_equipment_is_chosen(pages, make_user):
    user = make_user("employee", name="王小明")
    _seed(user)
    page = pages.login(pages.new_page(), user, next_path="/repairs/new")
    note = page.locator("#lab-note")
    assert page.locator("#category").input_value() == ""
    assert not note.is_visible()
    page.select_option("#category", "lab")
    assert note.is_visible() and "此刻的值班技术员" in note.inner_text()
    page.select_option("#category", "aircon")
    assert not note.is_visible()
