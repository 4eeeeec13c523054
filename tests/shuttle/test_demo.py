"""The demo network: six lines both ways, a late run, ~40 stops in 12 districts, homes for all."""

from sqlalchemy import func, select

from portal import demo
from portal.blueprints.shuttle.demo import load_demo
from portal.blueprints.shuttle.models import District, Home, Route, Stop
from portal.extensions import db


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_demo_loads_a_plausible_network_once(app, client, auth):
    demo.load()
    load_demo()  # a second call adds nothing
    directions = list(db.session.scalars(select(Route.direction)))
    assert directions.count("to_work") == 6 and directions.count("home") == 6
    assert directions.count("late") == 1
    assert _count(District) == 12 and 36 <= _count(Stop) <= 44
    assert _count(Home) == _count(demo.User)  # every demo employee has a home district
    person = db.session.scalar(select(demo.User).where(demo.User.employee_no == "E1001"))
    auth.login(person, password=demo.DEMO_PASSWORD)
    assert "1号线 东线" in client.get("/shuttle/").get_data(as_text=True)
    assert "我的班车" in client.get("/").get_data(as_text=True)
