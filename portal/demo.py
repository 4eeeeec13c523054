"""Demo data: a plausible company with a login for every role."""

import random

from sqlalchemy import func, select

from portal.blueprints.accounts.models import Department, User
from portal.blueprints.accounts.passwords import hash_password
from portal.blueprints.calendar import services as calendar_services
from portal.extensions import db
from portal.modules import modules
from portal.timeutil import local_now

DEMO_PASSWORD = "zhongshu2026"
DEPARTMENTS = ["生产部", "采购部", "销售部", "财务部", "人力资源部", "质量部", "研发部", "办公室",
               "后勤保障部"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
         "明", "超", "秀英", "华", "慧", "建国", "晓东", "海燕", "志强", "雪梅"]

# (employee_no, name, department, roles, language) — the logins `make run` prints.
LOGINS = [
    ("A0001", "陈立新", "办公室", ["employee", "office"], "zh_CN"),
    ("E1001", "王小明", "生产部", ["employee"], "zh_CN"),
    ("H1001", "李建华", "生产部", ["employee", "dept_head"], "zh_CN"),
    ("R1001", "赵静", "办公室", ["employee", "reception"], "zh_CN"),
    ("C1001", "孙海燕", "后勤保障部", ["employee", "canteen"], "zh_CN"),
    ("F1001", "周志强", "后勤保障部", ["employee", "facilities"], "zh_CN"),
    ("F1002", "吴勇", "后勤保障部", ["employee", "facilities"], "zh_CN"),
    ("E2001", "Emma Lin", "研发部", ["employee"], "en"),
]


def is_empty() -> bool:
    return not db.session.scalar(select(func.count()).select_from(User))


def load() -> list[tuple]:
    """Create departments, named logins and ~40 more people. Returns the printable logins."""
    rng = random.Random(2026)
    departments = {name: Department(name=name) for name in DEPARTMENTS}
    db.session.add_all(departments.values())
    password = hash_password(DEMO_PASSWORD)
    for number, name, dept, roles, language in LOGINS:
        user = User(employee_no=number, name=name, department=departments[dept],
                    language=language, password_hash=password,
                    phone=f"138{rng.randrange(10**8):08d}")
        user.set_roles(roles)
        db.session.add(user)
        if "dept_head" in roles:
            departments[dept].head = user
    for i in range(40):
        dept = DEPARTMENTS[i % len(DEPARTMENTS)]
        user = User(employee_no=f"P{3000 + i}", name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                    department=departments[dept], password_hash=password,
                    phone=f"139{rng.randrange(10**8):08d}")
        user.set_roles(["employee"])
        db.session.add(user)
    db.session.commit()
    for year in (local_now().year, local_now().year + 1):
        try:
            calendar_services.fill_year(year)
        except calendar_services.ScheduleMissing:  # not published yet: the office fills it later
            pass
    db.session.commit()
    for module in modules():
        if module.demo:
            module.demo()
            db.session.commit()  # whatever a loader left pending is saved, not held as a lock
    return LOGINS
