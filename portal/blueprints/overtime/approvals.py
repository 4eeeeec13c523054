"""Approving claims: the department head, then the office; returned with a reason; stand-ins;
reminders once per wait. Services flush; the route or job commits."""

from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from portal.blueprints.accounts.models import User
from portal.blueprints.audit.services import record as audit
from portal.blueprints.notifications.services import notify
from portal.blueprints.overtime import queries
from portal.blueprints.overtime.models import (
    APPROVED,
    RETURNED,
    WAITING_HEAD,
    WAITING_OFFICE,
    Claim,
    ClaimStep,
    StandIn,
)
from portal.blueprints.overtime.services import refuse_if_closed
from portal.errors import Refused
from portal.extensions import db
from portal.timeutil import utcnow
from portal.urls import path_for


def acting_for(claim: Claim, user, today: date) -> User | None:
    """Whom `user` approves this claim for at its stage (themself or the head they stand in
    for); None when they may not approve it at all. Nobody approves their own claim."""
    if claim.user_id == user.id:
        return None
    if claim.status == WAITING_OFFICE:
        return user if user.has_role("office") else None
    if claim.status == WAITING_HEAD:
        head = claim.user.department.head if claim.user.department else None
        if head is not None and head.id in queries.heads_for(user, today):
            return head
    return None


def _step(claim: Claim, user, on_behalf_of: User, action: str, reason: str = "") -> None:
    stage = "office" if claim.status == WAITING_OFFICE else "head"
    claim.steps.append(ClaimStep(round=claim.round, stage=stage, action=action,
                                 actor_id=user.id, reason=reason,
                                 on_behalf_of_id=None if on_behalf_of.id == user.id
                                 else on_behalf_of.id))


def _may_decide(claim: Claim, user, today: date) -> User:
    refuse_if_closed(claim)
    on_behalf_of = acting_for(claim, user, today)
    if on_behalf_of is None:
        if claim.user_id == user.id:
            raise Refused(_("Nobody approves their own claim."))
        raise Refused(_("This claim is not waiting for you."))
    return on_behalf_of


def approve(claim: Claim, user, today: date) -> None:
    """Approve at the claim's stage: the head's approval sends it on to the office."""
    on_behalf_of = _may_decide(claim, user, today)
    _step(claim, user, on_behalf_of, "approved")
    if claim.status == WAITING_HEAD:
        claim.status = WAITING_OFFICE
    else:
        claim.status = APPROVED
        notify(claim.user, _l("Your taxi claim for %(day)s is approved."),
               link=path_for("overtime.claim", claim_id=claim.id), day=claim.day.isoformat())
    claim.waiting_since, claim.reminded_at = utcnow(), None
    audit("overtime.claim_approve", f"overtime_claim:{claim.id}", round=claim.round)
    db.session.flush()


def return_claim(claim: Claim, user, reason: str, today: date) -> None:
    """Send the claim back to the employee with the reason (required)."""
    if not reason.strip():
        raise Refused(_("Say why the claim goes back: the employee must know what to fix."))
    on_behalf_of = _may_decide(claim, user, today)
    _step(claim, user, on_behalf_of, "returned", reason.strip())
    claim.status, claim.waiting_since, claim.reminded_at = RETURNED, None, None
    notify(claim.user, _l("Your taxi claim for %(day)s was returned: %(reason)s"),
           link=path_for("overtime.claim", claim_id=claim.id), day=claim.day.isoformat(),
           reason=reason.strip())
    audit("overtime.claim_return", f"overtime_claim:{claim.id}", round=claim.round)
    db.session.flush()


def current_approvals(claim: Claim) -> list[ClaimStep]:
    """The approvals that count: only those of the claim's current round."""
    return [s for s in claim.steps if s.round == claim.round and s.action == "approved"]


def add_stand_in(approver, stand_in: User, first_day: date, last_day: date) -> StandIn:
    """Name someone who approves in the approver's place for a date range."""
    if stand_in.id == approver.id:
        raise Refused(_("Choose someone else as your stand-in."))
    if last_day < first_day:
        raise Refused(_("The last day comes before the first."))
    row = StandIn(approver_id=approver.id, stand_in_id=stand_in.id, first_day=first_day,
                  last_day=last_day)
    db.session.add(row)
    audit("overtime.stand_in", f"user:{stand_in.id}", first=first_day.isoformat(),
          last=last_day.isoformat())
    db.session.flush()
    return row


def approvers_of(claim: Claim, today: date) -> list[User]:
    """Who should act on a waiting claim now: the head and their stand-ins, or the office."""
    if claim.status == WAITING_OFFICE:
        return [u for u in User.with_role("office") if u.id != claim.user_id]
    head = claim.user.department.head if claim.user.department else None
    if head is None:
        return []
    people = [head] + [row.stand_in for row in queries.my_stand_ins(head)
                       if row.first_day <= today <= row.last_day]
    return [u for u in people if u.id != claim.user_id]


def send_reminders(now: datetime, hours: int, today: date) -> int:
    """Remind approvers of claims waiting longer than `hours`; once per wait (the conditional
    update claims the reminder, so two runs at once send it once)."""
    due = db.session.scalars(
        select(Claim.id).where(
            Claim.status.in_((WAITING_HEAD, WAITING_OFFICE)), Claim.reminded_at.is_(None),
            Claim.waiting_since <= now - timedelta(hours=hours))).all()
    sent = 0
    for claim_id in due:
        claimed = db.session.execute(update(Claim).where(
            Claim.id == claim_id, Claim.reminded_at.is_(None)).values(reminded_at=now)).rowcount
        if claimed != 1:
            continue
        claim = db.session.get(Claim, claim_id)
        for person in approvers_of(claim, today):
            notify(person, _l("A taxi claim has been waiting for you since %(since)s."),
                   link=path_for("overtime.claim", claim_id=claim.id),
                   since=claim.waiting_since.strftime("%Y-%m-%d %H:%M"))
        sent += 1
    db.session.flush()
    return sent
