"""Home ("my day") for every demo login: its panels, in a handful of queries (issue 18).

The page's own queries are home's one query of every shown panel's facts plus one per list
shown; the frame (the user loader, the unread count) is measured on /more, a page with the
frame only, so the bound holds however many queries the frame costs.
"""

from datetime import timedelta

import pytest
from sqlalchemy import select

from bench._common import counting_queries
from portal import demo
from portal.blueprints.shuttle import queries as shuttle
from portal.blueprints.shuttle.models import Route
from portal.extensions import db
from portal.timeutil import local_now

PANEL_QUERIES = 7  # at most 8 per page, the frame's one (the user loader) included

EVERYONE = {"panel-menu", "panel-shuttle", "panel-notes"}
SHOWN = {
    "A0001": EVERYONE | {"panel-office", "panel-overtime-month"},
    "E1001": EVERYONE | {"panel-tasks-mine", "panel-repairs-mine", "panel-meetings-mine",
                         "panel-visitors-mine"},
    "H1001": EVERYONE | {"panel-tasks-mine", "panel-repairs-mine", "panel-meetings-mine"},
    "R1001": EVERYONE | {"panel-visitors-desk"},
    "C1001": EVERYONE | {"panel-headcount"},
    "F1001": EVERYONE | {"panel-repairs-queue"},
    "F1002": EVERYONE | {"panel-repairs-queue"},
    "E2001": EVERYONE | {"panel-tasks-mine", "panel-repairs-mine"},
}


def queries_of(client, path: str) -> tuple[int, str]:
    """The statements GET `path` sends (a before_cursor_execute listener on the engine)."""
    with counting_queries(db.engine) as counter:
        response = client.get(path)
    assert response.status_code == 200
    return counter.n, response.get_data(as_text=True)


@pytest.fixture
def demo_data(app):
    demo.load()
    db.session.commit()


@pytest.mark.parametrize("login", [number for number, *_rest in demo.LOGINS])
def test_every_demo_login_sees_its_day_in_a_few_queries(demo_data, client, login):
    assert set(SHOWN) == {number for number, *_rest in demo.LOGINS}
    client.post("/login", data={"employee_no": login, "password": demo.DEMO_PASSWORD})
    client.get("/")  # the published menu is read once per change, then kept
    frame, _html = queries_of(client, "/more")
    total, html = queries_of(client, "/")
    for panel in SHOWN[login]:
        assert f'aria-labelledby="{panel}"' in html, (login, panel)
    assert total - frame <= PANEL_QUERIES, (login, total, frame)


def test_the_shuttle_panel_shows_the_next_departure_the_timetable_gives(demo_data, client):
    client.post("/login", data={"employee_no": "E1001", "password": demo.DEMO_PASSWORD})
    html = client.get("/").get_data(as_text=True)
    from portal.blueprints.accounts.models import User

    person = User.by_employee_no("E1001")
    now = local_now()
    home = shuttle.home_of(person)
    followed = sorted(shuttle.followed_ids(person))[:3]
    assert followed
    versions = shuttle.in_effect(now.date(), followed)
    for route in db.session.scalars(select(Route).where(Route.id.in_(followed))):
        version = versions[route.id]
        stop_id = home.stop_id if home.stop_id and version.time_at(home.stop_id) \
            else version.times[0].stop_id
        departure = shuttle.next_departure(route, stop_id, now)
        assert departure is not None and departure.at < now + timedelta(days=22)
        shown = (departure.time if departure.at.date() == now.date()
                 else f"{departure.at.date().isoformat()} {departure.time}")
        assert route.name in html and shown in html
