"""A real object for each path argument of the visitor pages, for the test suite's URL sweeps
(Module.url_arguments): a visit tomorrow hosted by a new employee."""

from datetime import timedelta

from portal.blueprints.visitors import services
from portal.extensions import db
from portal.timeutil import utcnow


def url_arguments(make_user, make_department) -> dict:
    host = make_user("employee", name="接待主人")
    arrives = utcnow() + timedelta(days=1)
    visit = services.register(host, services.Plan(
        purpose="参观", arrives_at=arrives, departs_at=arrives + timedelta(hours=3),
        guests=[services.Guest(name="访客甲", company="甲公司", mobile="13800005678")]))
    db.session.commit()
    return {"visit_id": visit.id, "fmt": "xlsx"}
