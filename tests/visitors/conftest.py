"""People, a room and a clock for the visitor tests (Monday 2026-12-07, 08:00 Shanghai)."""

from dataclasses import dataclass

import pytest

from portal.extensions import db
from tests.meetings.conftest import at, local, make_room  # noqa: F401  (the clock fixture)


@dataclass
class Cast:
    host: object
    other_host: object
    reception: object
    office: object
    employee: object
    room: object


@pytest.fixture
def cast(app, make_user, at):  # noqa: F811
    cast = Cast(make_user("employee", name="陈经理"), make_user("employee", name="李经理"),
                make_user("employee", "reception", name="前台小王"),
                make_user("employee", "office", name="办公室小刘"),
                make_user("employee", name="路人甲"), make_room("贵宾接待室"))
    db.session.commit()
    return cast


def form(cast, **fields) -> dict:
    """What the pre-registration form sends: a group of two, tomorrow 10:00 until 16:00."""
    data = {"purpose": "产品交流", "arrives_at": "2026-12-08T10:00",
            "departs_at": "2026-12-08T16:00",
            "guests": "张伟, 华星科技, 13812345678\n刘芳, 华星科技, 13987654321",
            "reception_id": cast.reception.id, "room_id": cast.room.id,
            "room_until": "2026-12-08T12:00", "materials": "产品手册, 10\n样品, 2",
            "meals-0-day": "2026-12-08", "meals-0-meal": "lunch", "meals-0-headcount": "4",
            "meals-0-diet_notes": "一位清真", "meals-1-day": "2026-12-08",
            "meals-1-meal": "night", "meals-1-headcount": "2", "notes": "请携带名片"}
    data.update(fields)
    return data
