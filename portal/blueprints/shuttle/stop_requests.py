"""New-stop requests: employees ask (a district and where), facilities answer with an outcome.

The outcome rules are the suggestions module's (suggestions.answers.outcome_errors): solved;
planned, with the date it will be done; declined, with the reason. `check_outcome` asks it and
names its answers by this form's fields; the pages stay here.
"""

from datetime import date

from sqlalchemy import func, select

from portal.blueprints.audit.services import record
from portal.blueprints.notifications.services import notify
from portal.blueprints.shuttle.models import OUTCOMES, PLANNED, District, StopRequest
from portal.blueprints.suggestions.answers import outcome_errors
from portal.errors import Refused
from portal.extensions import db
from portal.i18n import N_
from portal.timeutil import utcnow


def check_outcome(outcome: str, planned_on: date | None, reason: str, today: date) -> dict:
    """The outcome rules are the suggestions module's (one set: `outcome_errors`), named here by
    this form's fields: field -> message when broken."""
    errors = outcome_errors(outcome, reason, planned_on, today)
    return {("planned_on" if name == "target" else name): message
            for name, message in errors.items()}


def submit_request(user, district: District, where: str) -> StopRequest:
    request = StopRequest(user_id=user.id, district_id=district.id, place=where.strip())
    db.session.add(request)
    db.session.flush()
    return request


ANSWERED = N_("Your new-stop request was answered: %(outcome)s")


def answer_request(request: StopRequest, by, outcome: str, planned_on: date | None,
                   reason: str, today: date) -> None:
    """Record the outcome (checked by the rules) and tell the person who asked."""
    errors = check_outcome(outcome, planned_on, reason, today)
    if errors:
        raise Refused(next(iter(errors.values())))
    request.outcome, request.reason = outcome, reason.strip()
    request.planned_on = planned_on if outcome == PLANNED else None
    request.answered_at, request.answered_by_id = utcnow(), by.id
    record("shuttle.stop_request", f"shuttle_stop_request:{request.id}", outcome=outcome)
    notify(request.user, ANSWERED, link="/shuttle/requests", outcome=OUTCOMES[outcome])
    db.session.flush()


def by_district() -> list[tuple[District, list[StopRequest], int]]:
    """Requests grouped by district, the most asked-for district first: (district, requests,
    open count)."""
    rows = list(db.session.scalars(select(StopRequest).order_by(StopRequest.created_at.desc())))
    groups: dict[int, list] = {}
    for row in rows:
        groups.setdefault(row.district_id, []).append(row)
    districts = {d.id: d for d in db.session.scalars(select(District))}
    result = [(districts[k], v, sum(1 for r in v if r.outcome is None)) for k, v in groups.items()]
    return sorted(result, key=lambda g: (-g[2], -len(g[1]), g[0].name))


def mine(user) -> list[StopRequest]:
    return list(db.session.scalars(select(StopRequest).where(StopRequest.user_id == user.id)
                                   .order_by(StopRequest.created_at.desc())))


def open_count() -> int:
    return db.session.scalar(select(func.count()).select_from(StopRequest)
                             .where(StopRequest.outcome.is_(None)))
