"""A real object for each path argument of the overtime pages, for the test suite's URL sweeps
(Module.url_arguments): one claim with a receipt, filed by an employee, who opens its pages
(editing a claim is its owner's alone)."""

from datetime import timedelta

from portal.blueprints.overtime.models import Claim
from portal.extensions import db
from portal.timeutil import local_today, utcnow


def url_arguments(make_user, make_department) -> dict:
    employee = make_user("employee", department=make_department())
    day = local_today() - timedelta(days=1)
    claim = Claim(user_id=employee.id, department_id=employee.department_id, day=day,
                  month=day.strftime("%Y-%m"), from_district="南山区", to_district="宝安区",
                  ride_at=utcnow() - timedelta(hours=12), amount_cents=4500,
                  receipt=b"%PDF-1.4\n%%EOF\n", receipt_mime="application/pdf",
                  waiting_since=utcnow())
    db.session.add(claim)
    db.session.commit()
    return {"claim_id": claim.id, "_signed_in": employee}
