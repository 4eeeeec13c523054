"""Overtime fixtures: a department with its head, an employee, the office; a policy; the
clock set with time-machine; helpers that record an evening and file a claim."""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from portal.blueprints.overtime.models import OvertimeRecord, Policy
from portal.extensions import db
from tests import factories
from tests.canteen.conftest import at as canteen_at

SHANGHAI = ZoneInfo("Asia/Shanghai")
EVENING = date(2026, 12, 2)  # a Wednesday, an ordinary working day


@dataclass
class Cast:
    employee: object
    colleague: object
    head: object
    office: object
    other_office: object
    outsider: object  # another department's head


@pytest.fixture
def cast(app, make_user, make_department):
    """Everyone reads English here (the catalogue's Chinese is tested on its own)."""

    def make_user(*roles, **fields):  # noqa: F811
        return factories.make_user(*roles, language="en", **fields)

    department = make_department("研发部")
    head = make_user("employee", "dept_head", name="李建华", department=department)
    department.head = head
    employee = make_user("employee", name="王小明", department=department)
    colleague = make_user("employee", name="张三", department=department)
    office = make_user("employee", "office", name="陈立新")
    other_office = make_user("employee", "office", name="赵敏")
    other = make_department("销售部")
    outsider = make_user("employee", "dept_head", name="孙丽", department=other)
    other.head = outsider
    db.session.commit()
    return Cast(employee, colleague, head, office, other_office, outsider)


def make_policy(effective_from: date = date(2026, 1, 1), **values) -> Policy:
    defaults = dict(earliest_end="21:00", ride_window_minutes=120, max_per_ride_cents=10000,
                    monthly_cap_cents=30000, receipt_above_cents=5000,
                    rest_days_allowed=True, holidays_allowed=False,
                    rest_day_earliest_end="18:00")
    policy = Policy(effective_from=effective_from, **{**defaults, **values})
    db.session.add(policy)
    db.session.commit()
    return policy


@pytest.fixture
def at(time_machine):
    """The canteen's Shanghai clock, starting the morning after the evening of the tests."""
    set_clock = canteen_at.__wrapped__(time_machine)
    set_clock("2026-12-03 09:00")
    return set_clock


@pytest.fixture
def policy(app):
    return make_policy()


def make_record(user, day: date = EVENING, start: str = "18:00", end: str | None = "22:00",
                reason: str = "版本发布") -> OvertimeRecord:
    record = OvertimeRecord(user_id=user.id, day=day, start_time=start, end_time=end,
                            reason=reason)
    db.session.add(record)
    db.session.commit()
    return record


def claim_form(day: date = EVENING, ride: str = "22:10", amount: str = "45.00", **extra) -> dict:
    """The claim form's fields; `ride` is the local time (on the evening, or "next 00:30")."""
    ride_day = day
    if ride.startswith("next "):
        from datetime import timedelta

        ride_day, ride = day + timedelta(days=1), ride[5:]
    return {"day": day.isoformat(), "ride_at": f"{ride_day.isoformat()}T{ride}",
            "from_district": "南山区", "to_district": "宝安区", "amount": amount,
            "reason": "版本发布", **extra}


def local(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI).astimezone(UTC)
