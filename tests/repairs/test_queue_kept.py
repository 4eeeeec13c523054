"""The queue keeps its cards' and filters' renders by their data: a change shows on the next
page, and one person's id and token never appear on another's."""

import re

from portal.blueprints.repairs import services
from portal.blueprints.repairs.models import Location
from portal.extensions import db
from tests.conftest import Auth


def _file(cast):
    data = {"category": "aircon", "urgency": "normal", "location_id": cast.room.id,
            "description": "空调坏了"}
    repair = services.submit_request(cast.requester, data, [])
    db.session.commit()
    return repair


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
