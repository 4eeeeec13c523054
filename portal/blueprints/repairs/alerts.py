"""Reminders before a target is missed, escalations after, and closing forgotten requests.

Run by jobs every few minutes. A RepairAlert row per (request, kind, target time) is written in
the same transaction as the notification, so a breach is announced once however often the job
runs (and a reopened request, having a new target, can be announced again).
"""

from datetime import datetime, timedelta

from sqlalchemy import and_, exists, select
from sqlalchemy.exc import IntegrityError

from portal.blueprints.notifications.services import notify
from portal.blueprints.repairs import calendars, services
from portal.blueprints.repairs.models import (
    RESOLVED,
    WAITING_FIX,
    WAITING_RESPONSE,
    RepairAlert,
    RepairEvent,
    RepairRequest,
    RepairSettings,
)
from portal.extensions import db
from portal.i18n import N_
from portal.settings import read_settings

# (alert kind, statuses concerned, the column holding the target)
TARGETS = (
    ("response", WAITING_RESPONSE, RepairRequest.response_due),
    ("resolution", WAITING_FIX, RepairRequest.resolution_due),
)


def _not_alerted(kind: str, column):
    return ~exists().where(and_(RepairAlert.request_id == RepairRequest.id,
                                RepairAlert.kind == kind, RepairAlert.due_at == column))


def _claim(request: RepairRequest, kind: str, due_at: datetime, now: datetime) -> bool:
    """Record the alert; False if another worker recorded it first."""
    try:
        with db.session.begin_nested():
            db.session.add(RepairAlert(request_id=request.id, kind=kind, due_at=due_at,
                                       sent_at=now))
        return True
    except IntegrityError:
        return False


def send_target_alerts(now: datetime) -> tuple[int, int]:
    """Remind assignees of targets due soon, escalate missed ones; (reminded, escalated)."""
    settings = read_settings(RepairSettings)
    ahead = timedelta(minutes=settings.remind_before_minutes)
    reminded = escalated = 0
    for target, statuses, column in TARGETS:
        soon = db.session.scalars(
            select(RepairRequest).where(
                RepairRequest.status.in_(statuses), column > now, column <= now + ahead,
                _not_alerted(f"remind_{target}", column),
            ).order_by(column)
        ).all()
        for request in soon:
            due = getattr(request, f"{target}_due")
            who = request.assignee or calendars.on_duty_user(now)
            if who is None or not _claim(request, f"remind_{target}", due, now):
                continue
            notify(who, N_("Repair request %(number)s is due at %(time)s"),
                   link=services.detail_path(request.id),
                   number=request.number, time=calendars.short_time(due))
            db.session.add(RepairEvent(request_id=request.id, action="reminded", note=who.name,
                                       created_at=now))
            reminded += 1
        missed = db.session.scalars(
            select(RepairRequest).where(
                RepairRequest.status.in_(statuses), column <= now,
                _not_alerted(f"escalate_{target}", column),
            ).order_by(column)
        ).all()
        leads = services.lead_recipients(settings) if missed else []
        for request in missed:
            due = getattr(request, f"{target}_due")
            if not _claim(request, f"escalate_{target}", due, now):
                continue
            title = (N_("Overdue: repair request %(number)s was not answered in time")
                     if target == "response" else
                     N_("Overdue: repair request %(number)s was not fixed in time"))
            for lead in leads:
                notify(lead, title, link=services.detail_path(request.id),
                       number=request.number)
            db.session.add(RepairEvent(request_id=request.id, action="escalated",
                                       note=", ".join(u.name for u in leads), created_at=now))
            escalated += 1
    return reminded, escalated


def auto_confirm_resolved(now: datetime) -> int:
    """Close requests resolved more than the set number of days ago without an answer."""
    days = read_settings(RepairSettings).auto_confirm_days
    stale = db.session.scalars(
        select(RepairRequest).where(RepairRequest.status == RESOLVED,
                                    RepairRequest.resolved_at <= now - timedelta(days=days))
    ).all()
    for request in stale:
        services.auto_confirm(request, now)
    return len(stale)
