"""Visitor jobs, run by the worker; the scheduler enqueues them by dotted name (MODULE.cron).

Each decides inside what is due, so a missed or a double run is harmless: the evening list goes
once per evening (an audit mark), the morning close and the purge touch only what is still open
or not yet purged, the day-before reminder is claimed with a conditional UPDATE.
"""

from datetime import timedelta

from sqlalchemy import select, update

from jobs import app_job
from portal.blueprints.accounts.models import User
from portal.blueprints.audit.models import AuditEntry
from portal.blueprints.audit.services import record
from portal.blueprints.notifications.services import notify
from portal.blueprints.visitors import checklist, queries, services
from portal.blueprints.visitors.documents import badge_documents
from portal.blueprints.visitors.models import (
    EXPECTED,
    NOT_CHECKED_OUT,
    ON_SITE,
    Visit,
    Visitor,
)
from portal.extensions import db
from portal.i18n import N_
from portal.timeutil import local_now, to_local, utcnow


def _reception() -> list[User]:
    return [u for u in User.with_role("reception") if u.active]


def _still_inside(before) -> list[Visitor]:
    return list(db.session.scalars(select(Visitor).join(Visit).where(
        Visit.status == ON_SITE, Visitor.checked_in_at.is_not(None),
        Visitor.checked_in_at < before, Visitor.checked_out_at.is_(None))))


@app_job
def evening_list() -> int:
    """At the office's evening hour: reception gets the list of visits still checked in."""
    now = local_now()
    if now.hour < queries.settings().evening_hour:
        return 0
    mark = f"{now:%Y-%m-%d}"
    if db.session.scalar(select(AuditEntry.id).where(AuditEntry.action == "visitors.evening",
                                                     AuditEntry.target == mark)):
        return 0
    inside = _still_inside(utcnow())
    numbers = sorted({v.visit.number for v in inside})
    if numbers:
        for person in _reception():
            notify(person, N_("%(count)d visitors are still checked in"),
                   N_("Visits: %(numbers)s. Check them out at the front desk."),
                   link="/visitors/desk", count=len(inside), numbers=", ".join(numbers))
    record("visitors.evening", mark, count=len(inside))
    db.session.commit()
    return len(inside)


@app_job
def morning_close() -> tuple[int, int]:
    """Next morning: whoever is still checked in from before today is closed as "not checked
    out"; expected visits whose departure has passed with nobody arriving are no-shows."""
    today_start = queries.day_start(local_now().date())
    closed = 0
    for visitor in _still_inside(today_start):
        visitor.not_checked_out = True
        visitor.checked_out_at = today_start
        visitor.visit.status = NOT_CHECKED_OUT
        closed += 1
    missed = list(db.session.scalars(select(Visit).where(
        Visit.status == EXPECTED, Visit.departs_at < today_start)))
    for visit in missed:
        services.mark_no_show(visit, visit.host)
    db.session.commit()
    return closed, len(missed)


@app_job
def remind_day_before() -> int:
    """The day before a visit: its host and reception owner hear of it, with the open steps."""
    tomorrow = local_now().date() + timedelta(days=1)
    visits = list(db.session.scalars(select(Visit).where(
        Visit.status == EXPECTED, Visit.reminded_at.is_(None),
        Visit.arrives_at >= queries.day_start(tomorrow),
        Visit.arrives_at < queries.day_start(tomorrow + timedelta(days=1)))))
    sent = 0
    for visit in visits:
        claimed = db.session.execute(update(Visit).where(
            Visit.id == visit.id, Visit.reminded_at.is_(None)).values(reminded_at=utcnow()))
        if claimed.rowcount != 1:
            continue  # another run has it
        done, total = checklist.progress(visit)
        for person in {visit.host, visit.reception} - {None}:
            notify(person, N_("Visit %(number)s tomorrow at %(when)s"),
                   N_("%(open)d of %(total)d checklist steps still open."),
                   link=services.detail_path(visit), number=visit.number,
                   when=f"{to_local(visit.arrives_at):%H:%M}", open=total - done, total=total)
        sent += 1
        db.session.commit()
    return sent


def purge(now) -> dict:
    """Blank visitors' personal data of visits whose departure is older than the retention
    period; the visits and their counts stay. Logged as counts only."""
    before = now - timedelta(days=queries.settings().retention_days)
    visits = list(db.session.scalars(select(Visit).where(
        Visit.purged_at.is_(None), Visit.departs_at < before,
        Visit.status.not_in((EXPECTED, ON_SITE)))))
    people = 0
    for visit in visits:
        for visitor in visit.visitors:
            visitor.name, visitor.mobile, visitor.email, visitor.id_type = "", "", "", ""
            people += 1
        visit.purged_at = now
    files = badge_documents({visit.id for visit in visits})
    for document in files:
        db.session.delete(document)
    counts = {"visits": len(visits), "visitors": people, "badge_files": len(files)}
    if visits:
        record("visitors.purge", "visit_visitors", **counts)
    return counts


@app_job
def purge_personal_data() -> dict:
    counts = purge(utcnow())
    db.session.commit()
    return counts
