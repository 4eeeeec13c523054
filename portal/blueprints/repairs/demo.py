"""Demo data for the repair module: rooms, devices, a rota and requests in every state.

Called from portal/demo.py after the people exist (it uses the demo logins F1001, F1002, ...).
"""

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from portal.blueprints.accounts.models import User
from portal.blueprints.repairs import calendars, services
from portal.blueprints.repairs.models import (
    Asset,
    Location,
    OnCallShift,
    RepairSettings,
)
from portal.extensions import db
from portal.settings import read_settings
from portal.timeutil import portal_tz, utcnow

ROOMS = [
    ("办公楼A栋", "1层", "大堂"), ("办公楼A栋", "2层", "财务室201"),
    ("办公楼A栋", "3层", "301会议室"), ("办公楼A栋", "3层", "302办公室"),
    ("一号厂房", "1层", "装配线A"), ("一号厂房", "1层", "装配线B"),
    ("研发楼", "2层", "实验室201"), ("研发楼", "2层", "实验室202"),
    ("研发楼", "3层", "检测中心"), ("食堂", "1层", "餐厅"),
]
ASSETS = [  # (code, name, category, room)
    ("AC-A301", "格力中央空调", "aircon", "301会议室"),
    ("PJ-A301", "爱普生投影仪", "office", "301会议室"),
    ("PR-A201", "惠普激光打印机", "office", "财务室201"),
    ("LAB-0001", "高效液相色谱仪", "lab", "实验室201"),
    ("LAB-0002", "高速离心机", "lab", "实验室201"),
    ("LAB-0003", "恒温培养箱", "lab", "实验室202"),
    ("LAB-0004", "万能材料试验机", "lab", "检测中心"),
    ("SW-F1", "网络交换机", "it", "大堂"),
]
STORIES = [  # (requester no, category, urgency, room, description, final state)
    ("E1001", "aircon", "normal", "301会议室", "空调不制冷，开会时室内30度", "confirmed"),
    ("E1001", "lighting", "low", "装配线A", "装配线A上方两根灯管不亮", "resolved"),
    ("H1001", "lab", "urgent", "实验室201", "液相色谱仪压力报警，样品分析中断", "in_progress"),
    ("E2001", "it", "normal", "大堂", "大堂无线网络经常断开", "accepted"),
    ("P3000", "plumbing", "urgent", "餐厅", "餐厅洗手池下水管漏水，地面有积水", "submitted"),
    ("P3001", "furniture", "low", "302办公室", "办公椅扶手松动", "submitted"),
    ("P3002", "office", "normal", "财务室201", "打印机卡纸，打印有黑线", "reopened"),
    ("H1001", "lab", "normal", "实验室202", "培养箱温度显示比实际高2度", "confirmed"),
]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), portal_tz())


def load_demo(seed: int = 2026) -> None:
    """Create the repair module's demo data (idempotent: does nothing if rooms exist)."""
    if db.session.scalar(select(Location.id).limit(1)) is not None:
        return
    rng = random.Random(seed)
    people = {u.employee_no: u for u in db.session.scalars(select(User))}
    rooms = {}
    for building, floor, room in ROOMS:
        rooms[room] = Location(building=building, floor=floor, room=room)
        db.session.add(rooms[room])
    assets = {}
    for code, name, category, room in ASSETS:
        assets[room] = Asset(code=code, name=name, category=category, location=rooms[room])
        db.session.add(assets[room])
    lead, second = people.get("F1001"), people.get("F1002")
    settings = read_settings(RepairSettings)
    settings.lead = lead
    db.session.add(settings)
    _rota(lead, second)
    db.session.flush()
    for number, category, urgency, room, description, state in STORIES:
        requester = people.get(number) or lead
        filed = utcnow() - timedelta(hours=rng.randint(5, 60))
        repair = services.submit_request(requester, {
            "category": category, "urgency": urgency, "location_id": rooms[room].id,
            "asset_id": assets[room].id if room in assets and category == assets[room].category
            else None, "description": description}, [], now=filed)
        _play(repair, state, requester, second or lead, rng)
    db.session.commit()


def _rota(first: User | None, second: User | None) -> None:
    """Day duties and nights for the next two weeks, alternating between two technicians."""
    if first is None or second is None:
        return
    today = utcnow().astimezone(portal_tz()).date()
    for offset in range(-1, calendars.ROTA_DAYS + 1):  # a day beyond what the rota page shows
        day = today + timedelta(days=offset)
        who = first if offset % 2 == 0 else second
        other = second if who is first else first
        # Day duty (office hours) by the one not on the night before, then the night.
        db.session.add(OnCallShift(user=other, starts_at=_at(day, 8, 30),
                                   ends_at=_at(day, 17, 30)))
        db.session.add(OnCallShift(user=who, starts_at=_at(day, 17, 30),
                                   ends_at=_at(day + timedelta(days=1), 8, 30)))


def _play(repair, state: str, requester: User, tech: User, rng: random.Random) -> None:
    """Move a demo request through the workflow up to `state`, with plausible times."""
    if state == "submitted" or tech is None:
        return
    services.accept(repair, tech, tech)
    repair.accepted_at = _stamp(repair, repair.created_at + timedelta(minutes=rng.randint(10, 120)))
    if state == "accepted":
        return
    services.start(repair, tech)
    repair.started_at = _stamp(repair, repair.accepted_at + timedelta(minutes=rng.randint(10, 60)))
    if state == "in_progress":
        return
    services.resolve(repair, tech, "已检修并更换损坏部件，试运行正常。")
    repair.resolved_at = _stamp(repair, repair.started_at + timedelta(minutes=rng.randint(30, 240)))
    if state == "reopened":
        services.reopen(repair, requester, "修好后第二天又出现同样的问题。")
    elif state == "confirmed":
        services.confirm(repair, requester)
        repair.closed_at = _stamp(repair, repair.resolved_at + timedelta(hours=2))
        services.rate(repair, requester, rng.choice([4, 5]), "师傅来得很快，谢谢！")
        _stamp(repair, repair.closed_at)


def _stamp(repair, moment: datetime) -> datetime:
    """Date the step just taken (services stamp "now"; demo stories happened earlier)."""
    repair.events[-1].created_at = min(moment, utcnow())
    return min(moment, utcnow())
