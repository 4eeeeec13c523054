"""New-stop requests: employees ask (a district and where), facilities answer with an outcome.

The outcome rules are the suggestions module's: solved; planned, with the date it will be
done; declined, with the reason. Until that module can answer a request itself, they are
checked here, in `check_outcome` — the one seam it takes over (replace the body with a call to
the suggestions module's rule; `answer_request` and the pages stay as they are).
"""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from portal.blueprints.audit.services import record
from portal.blueprints.notifications.services import notify
from portal.blueprints.shuttle.models import (
    DECLINED,
    OUTCOMES,
    PLANNED,
    District,
    StopRequest,
)
from portal.errors import Refused
from portal.extensions import db
from portal.i18n import N_
from portal.timeutil import utcnow


def check_outcome(outcome: str, planned_on: date | None, reason: str, today: date) -> dict:
    """The outcome rules (the seam for the suggestions module): field -> message when broken."""
    errors = {}
    if outcome not in OUTCOMES:
        errors["outcome"] = _("Choose an outcome.")
    if outcome == PLANNED and planned_on is None:
        errors["planned_on"] = _("A planned stop needs the date it will be served.")
    if outcome == PLANNED and planned_on is not None and planned_on < today:
        errors["planned_on"] = _("The planned date cannot be in the past.")
    if outcome == DECLINED and not reason.strip():
        errors["reason"] = _("Say why the request is declined.")
    return errors


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
