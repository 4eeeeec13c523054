"""The demo data loads on top of the foundation's demo people and tells a plausible story."""

from sqlalchemy import func, select

from portal import demo
from portal.blueprints.repairs.demo import load_demo
from portal.blueprints.repairs.models import OnCallShift, RepairRequest
from portal.extensions import db


def test_demo_loads_requests_in_every_state_once(app, client, auth):
    demo.load()
    load_demo()
    load_demo()  # a second call adds nothing
    states = set(db.session.scalars(select(RepairRequest.status)))
    assert states == {"submitted", "accepted", "in_progress", "resolved", "reopened", "confirmed"}
    assert db.session.scalar(select(func.count()).select_from(RepairRequest)) == 8
    assert db.session.scalar(select(func.count()).select_from(OnCallShift)) > 10
    technician = db.session.scalar(select(demo.User).where(demo.User.employee_no == "F1001"))
    auth.login(technician, password=demo.DEMO_PASSWORD)
    page = client.get("/repairs/queue").get_data(as_text=True)
    assert page.count('class="card repair-card') == 6  # the open ones
