"""The facilities queue, bulk assign, home panels, and who may open the facilities pages."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.blueprints.repairs import services
from portal.blueprints.repairs.models import Location, RepairRequest
from portal.extensions import db
from portal.timeutil import utcnow
from tests.conftest import Auth
from tests.panel_values import panel_values

FACILITIES_PAGES = ["/repairs/places", "/repairs/rota", "/repairs/settings"]
FACILITIES_OR_OFFICE = ["/repairs/queue", "/repairs/figures", "/repairs/figures.csv"]


def _file(cast, category="aircon", description="空调坏了", **fields) -> RepairRequest:
    data = {"category": category, "urgency": "normal", "location_id": cast.room.id,
            "description": description}
    repair = services.submit_request(cast.requester, data, [])
    for key, value in fields.items():
        setattr(repair, key, value)
    db.session.commit()
    return repair


@pytest.mark.parametrize("url", FACILITIES_PAGES + FACILITIES_OR_OFFICE)
def test_facilities_pages_refuse_employees_and_anonymous(client, auth, cast, url):
    assert client.get(url).status_code == 302
    auth.login(cast.requester)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", FACILITIES_PAGES)
def test_office_may_look_but_not_manage(client, auth, cast, url):
    auth.login(cast.office)
    assert client.get(url).status_code == 403


def test_queue_filters_and_overdue_stand_out(client, auth, cast):
    late = _file(cast, description="严重漏水", category="plumbing")
    late.due_at = late.response_due = utcnow() - timedelta(hours=2)
    light = _file(cast, description="灯不亮", category="lighting")
    db.session.commit()
    auth.login(cast.tech)
    page = client.get("/repairs/queue").get_data(as_text=True)
    assert late.number in page and "已超时" in page and 'class="card repair-card overdue"' in page
    page = client.get("/repairs/queue?overdue=1").get_data(as_text=True)
    assert light.number not in page
    assert late.number in page and "1 个报修单" in page
    page = client.get("/repairs/queue?category=lighting").get_data(as_text=True)
    assert late.number not in page and "1 个报修单" in page
    assert "1 个报修单" in client.get("/repairs/queue?assignee=none&sort=urgency&category=lighting"
                                      ).get_data(as_text=True)


def test_queue_answers_htmx_with_only_the_results(client, auth, cast):
    _file(cast)
    auth.login(cast.tech)
    response = client.get("/repairs/queue?status=submitted",
                          headers={"HX-Request": "true", "HX-Request-Type": "partial"})
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith('<div id="results"') and "<html" not in body
    assert "HX-Request" in response.headers["Vary"]


def test_bulk_assign_gives_ticked_requests_to_one_technician(client, auth, cast):
    first, second, untouched = _file(cast), _file(cast), _file(cast)
    auth.login(cast.lead)
    response = client.post("/repairs/queue/assign", data={
        "ids": [first.id, second.id], "assignee_id": cast.other_tech.id, "status": "open"},
        headers={"HX-Request": "true", "HX-Request-Type": "partial"})
    assert response.status_code == 200 and "2 个报修单派给 吴勇" in response.get_data(as_text=True)
    db.session.expire_all()
    assigned = db.session.scalars(select(RepairRequest).where(
        RepairRequest.assignee_id == cast.other_tech.id)).all()
    assert {r.id for r in assigned} == {first.id, second.id}
    assert db.session.get(RepairRequest, untouched.id).status == "submitted"
    auth.logout()
    auth.login(cast.office)
    assert client.post("/repairs/queue/assign", data={
        "ids": [untouched.id], "assignee_id": cast.tech.id}).status_code == 403


def test_accept_from_the_queue_swaps_the_card(client, auth, cast):
    repair = _file(cast)
    auth.login(cast.tech)
    response = client.post(f"/repairs/{repair.id}/accept", data={"assignee_id": cast.tech.id},
                           headers={"HX-Request": "true", "HX-Request-Type": "partial"})
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith(f'<li class="card repair-card" id="repair-{repair.id}"')
    assert "开始维修" in body


def test_home_shows_my_open_requests_and_facilities_counts(client, auth, cast):
    late = _file(cast)
    late.due_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    auth.login(cast.requester)
    page = client.get("/").get_data(as_text=True)
    assert "我的未完成报修" in page and late.number in page
    auth.logout()
    auth.login(cast.tech)
    page = client.get("/").get_data(as_text=True)
    assert "1 个未关闭报修" in page and "1 个已超时" in page


def test_requester_is_told_when_a_request_moves_to_another_technician(client, auth, cast):
    from portal.blueprints.notifications.models import Notification

    repair = _file(cast)
    auth.login(cast.tech)
    client.post(f"/repairs/{repair.id}/accept", data={"assignee_id": cast.tech.id})
    auth.logout()
    auth.login(cast.lead)
    client.post(f"/repairs/{repair.id}/accept", data={"assignee_id": cast.other_tech.id})
    db.session.expire_all()
    assert db.session.get(RepairRequest, repair.id).assignee_id == cast.other_tech.id
    titles = db.session.scalars(select(Notification.title).where(
        Notification.user_id == cast.requester.id)).all()
    assert f"您的报修单 {repair.number} 已转交给吴勇" in titles


def _numbers_in_order(page: str, repairs) -> list[str]:
    """The given requests' numbers in the order the page shows them."""
    return sorted((r.number for r in repairs), key=page.index)


def test_queue_filters_by_room_within_a_building(client, auth, cast):
    from portal.blueprints.repairs.models import Location

    next_door = Location(building=cast.room.building, floor="3层", room="302办公室")
    lab = Location(building="研发楼", floor="2层", room="实验室201")
    db.session.add_all([next_door, lab])
    db.session.commit()
    here = _file(cast, description="投影仪坏了")
    there = _file(cast, description="椅子坏了", location_id=next_door.id)
    auth.login(cast.tech)
    page = client.get(f"/repairs/queue?location_id={next_door.id}").get_data(as_text=True)
    assert there.number in page and here.number not in page and "1 个报修单" in page
    assert f'<option value="{next_door.id}" selected>办公楼A栋 · 3层 · 302办公室</option>' in page
    # The room select offers the chosen building's rooms only.
    page = client.get(f"/repairs/queue?building={cast.room.building}").get_data(as_text=True)
    assert "302办公室" in page and "实验室201" not in page and "2 个报修单" in page
    # A room left over from another building is dropped: the building chosen last wins.
    page = client.get(f"/repairs/queue?building=研发楼&location_id={next_door.id}"
                      ).get_data(as_text=True)
    assert "0 个报修单" in page and "302办公室" not in page


def test_changing_the_building_under_htmx_redraws_the_room_filter_out_of_band(client, auth, cast):
    from portal.blueprints.repairs.models import Location

    db.session.add(Location(building="研发楼", floor="2层", room="实验室201"))
    db.session.commit()
    auth.login(cast.tech)
    htmx = {"HX-Request": "true"}
    # The rooms on screen are every building's; the person picks 研发楼.
    fragment = client.get("/repairs/queue?building=研发楼&rooms_for=", headers=htmx
                          ).get_data(as_text=True)
    assert fragment.index('id="results"') < fragment.index('id="room-filter"')
    oob = fragment[fragment.index('id="room-filter"'):]
    assert 'hx-swap-oob="true"' in oob and 'name="rooms_for" value="研发楼"' in oob
    assert "实验室201" in oob and "301会议室" not in oob
    # Another filter changed, the building did not: the room filter (and its focus) stays.
    fragment = client.get("/repairs/queue?building=研发楼&rooms_for=研发楼&sort=newest",
                          headers=htmx).get_data(as_text=True)
    assert 'id="room-filter"' not in fragment


def test_queue_filters_by_technician(client, auth, cast):
    mine, theirs, nobodys = _file(cast), _file(cast), _file(cast)
    services.accept(mine, cast.tech, cast.tech)
    services.accept(theirs, cast.lead, cast.other_tech)
    db.session.commit()
    auth.login(cast.tech)
    page = client.get(f"/repairs/queue?assignee={cast.other_tech.id}").get_data(as_text=True)
    assert theirs.number in page and mine.number not in page and nobodys.number not in page
    page = client.get("/repairs/queue?assignee=me").get_data(as_text=True)
    assert mine.number in page and theirs.number not in page
    page = client.get("/repairs/queue?assignee=none").get_data(as_text=True)
    assert nobodys.number in page and mine.number not in page and theirs.number not in page


def test_queue_sorts_by_target_urgency_newest_and_oldest(client, auth, cast):
    now = utcnow()
    first = _file(cast, urgency="low", due_at=now + timedelta(hours=1))
    second = _file(cast, urgency="urgent", due_at=now + timedelta(hours=5))
    third = _file(cast, urgency="normal", due_at=now + timedelta(hours=3))
    every = (first, second, third)
    auth.login(cast.tech)

    def order(sort):
        page = client.get(f"/repairs/queue?sort={sort}").get_data(as_text=True)
        return _numbers_in_order(page, every)

    assert order("due") == [first.number, third.number, second.number]
    assert order("urgency") == [second.number, third.number, first.number]
    assert order("newest") == [third.number, second.number, first.number]
    assert order("oldest") == [first.number, second.number, third.number]


def test_my_open_requests_panel_holds_plain_values(app, cast):
    late = _file(cast, due_at=utcnow() - timedelta(minutes=5))
    lab = _file(cast, category="lab", description="通风柜报警")
    values = panel_values(app, cast.requester, "repairs/_panel_mine.html")
    assert values == {"rows": [
        (lab.id, lab.number, "submitted", True, False, "办公楼A栋 · 3层 · 301会议室"),
        (late.id, late.number, "submitted", False, True, "办公楼A栋 · 3层 · 301会议室")]}


# The queue keeps its cards' and filters' renders by their data (queue.QueueParts): a change
# shows on the next page, and one person's id and token never appear on another's.

def _queue(client) -> str:
    return client.get("/repairs/queue").get_data(as_text=True)


def _tokens(page: str) -> set[str]:
    return set(re.findall(r'name="csrf_token" value="([^"]+)"', page))


def test_each_persons_queue_carries_their_own_id_and_token(app, cast):
    _file(cast)
    pages = {}
    for person in (cast.tech, cast.other_tech, cast.tech):
        client = app.test_client()
        Auth(client).login(person)
        pages.setdefault(person.id, []).append(_queue(client))
    first, other = pages[cast.tech.id][0], pages[cast.other_tech.id][0]
    assert re.findall(r'name="assignee_id" value="(\d+)"', first) == [str(cast.tech.id)]
    assert re.findall(r'name="assignee_id" value="(\d+)"', other) == [str(cast.other_tech.id)]
    assert "\ue000" not in first + other  # no hole left unfilled
    tokens = [_tokens(page) for page in (first, other, pages[cast.tech.id][1])]
    assert all(len(found) == 1 for found in tokens)  # the page's forms share its token
    assert tokens[0] != tokens[1] and tokens[1] != tokens[2]


def test_a_card_and_the_filters_follow_a_change(client, auth, cast):
    repair = _file(cast)
    auth.login(cast.tech)
    page = _queue(client)
    assert f'action="/repairs/{repair.id}/accept"' in page and "301会议室" in page
    services.assign(repair, cast.lead, cast.other_tech)
    cast.room.room = "302会议室"  # the room filter's choices change, its buildings do not
    db.session.commit()
    assert "302会议室</option>" in _queue(client)
    db.session.add(Location(building="研发楼", floor="2层", room="实验室201"))
    db.session.commit()
    page = _queue(client)
    assert f'action="/repairs/{repair.id}/accept"' not in page
    assert "吴勇" in page and "301会议室" not in page
    assert "302会议室</option>" in page and '<optgroup label="研发楼">' in page
