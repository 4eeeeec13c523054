"""Demo visits: one arriving today (checked in), a group tomorrow with a room and lunch, one
next week. Through the module's services, so the checklist tasks exist as for a real visit.
Idempotent: nothing if a visit exists."""

from datetime import datetime, time, timedelta

from sqlalchemy import select

from portal.blueprints.accounts.models import User
from portal.blueprints.meetings.models import Room
from portal.blueprints.visitors import services
from portal.blueprints.visitors.models import Visit
from portal.errors import Refused
from portal.extensions import db
from portal.timeutil import local_today, portal_tz


def _at(day, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=portal_tz())


def load_demo() -> None:
    if db.session.scalar(select(Visit.id).limit(1)) is not None:
        return
    host = User.by_employee_no("E1001") or User.by_employee_no("A0001")
    reception = next(iter(User.with_role("reception")), None)
    if host is None:
        return
    today = local_today()
    room = db.session.scalar(select(Room).where(Room.active.is_(True)).order_by(Room.id))
    tomorrow = today + timedelta(days=1)
    plans = [
        services.Plan(purpose="设备验收", arrives_at=_at(today, 9), departs_at=_at(today, 17),
                      reception=reception,
                      guests=[services.Guest("周建国", "宏远机电", "13600001234")]),
        services.Plan(purpose="年度合作洽谈", arrives_at=_at(tomorrow, 10),
                      departs_at=_at(tomorrow + timedelta(days=1), 16), reception=reception,
                      room=room, room_until=_at(tomorrow, 12),
                      guests=[services.Guest("张伟", "华星科技", "13812345678"),
                              services.Guest("刘芳", "华星科技", "13987654321"),
                              services.Guest("陈晨", "华星科技")],
                      materials=[("产品手册", 10), ("样品", 3)],
                      meals=[services.Meal(tomorrow, "lunch", 5, "一位清真")]),
        services.Plan(purpose="供应商审核", arrives_at=_at(today + timedelta(days=7), 14),
                      departs_at=_at(today + timedelta(days=7), 17), reception=reception,
                      guests=[services.Guest("Anna Schmidt", "Bremer GmbH")]),
    ]
    for plan in plans:
        if plan.arrives_at < _at(today, 0):
            continue
        try:
            visit = services.register(host, plan)
        except Refused:  # the demo room is taken: the visit goes without it
            db.session.rollback()
            plan.room = None
            visit = services.register(host, plan)
        if plan.purpose == "设备验收":
            services.check_in(visit, visit.visitors, reception or host)
    db.session.commit()
