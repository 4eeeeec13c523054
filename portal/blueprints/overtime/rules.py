"""The policy's rules, checked on every save of a claim: which rule fails and by how much.

`check` answers {form field: [messages]} in the reader's language; empty means the claim may go.
It reads the policy in force on the ride's date and the company calendar for the evening.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from portal.blueprints.calendar import queries as company_calendar
from portal.blueprints.calendar.models import HOLIDAY
from portal.blueprints.overtime.models import Claim, OvertimeRecord, Policy
from portal.blueprints.overtime.queries import record_of
from portal.extensions import db
from portal.timeutil import parse_hhmm


def money(cents: int) -> str:
    return f"¥{cents / 100:.2f}"


@dataclass
class Draft:
    """What the form holds, in plain values: the evening, the ride (naive local), the money."""

    day: date
    ride_at: datetime
    amount_cents: int
    has_receipt: bool


def policy_on(day: date) -> Policy | None:
    """The policy version in force on `day`: the latest one effective on or before it."""
    return db.session.scalar(select(Policy).where(Policy.effective_from <= day)
                             .order_by(Policy.effective_from.desc()).limit(1))


def month_of(day: date) -> str:
    return f"{day:%Y-%m}"


def month_total(user, month: str, except_claim_id: int | None = None) -> int:
    """Cents this person has claimed in `month` (every claim but the one being edited)."""
    query = select(func.coalesce(func.sum(Claim.amount_cents), 0)).where(
        Claim.user_id == user.id, Claim.month == month)
    if except_claim_id is not None:
        query = query.where(Claim.id != except_claim_id)
    return db.session.scalar(query)


def _minutes(delta: timedelta) -> int:
    return int(delta.total_seconds() // 60)


def _evening_rules(policy: Policy, record: OvertimeRecord, errors: dict) -> None:
    """Rest days, holidays and the earliest eligible end, from the company calendar."""
    info = company_calendar.day_info(record.day)
    earliest = policy.earliest_end
    if not info.working:
        if info.kind == HOLIDAY and not policy.holidays_allowed:
            errors["day"].append(_("Rides after overtime on a holiday (%(name)s) are not "
                                   "subsidised under the policy in force.", name=info.name))
            return
        if info.kind != HOLIDAY and not policy.rest_days_allowed:
            errors["day"].append(_("Rides after overtime on a rest day are not subsidised "
                                   "under the policy in force."))
            return
        earliest = policy.rest_day_earliest_end
    end = record.end_on()
    earliest_at = datetime.combine(record.day, parse_hhmm(earliest))
    if end < earliest_at:
        errors["day"].append(_(
            "The overtime ended at %(end)s, %(minutes)d minutes before the earliest eligible "
            "end (%(earliest)s).", end=record.end_time, minutes=_minutes(earliest_at - end),
            earliest=earliest))


def _ride_rules(policy: Policy, record: OvertimeRecord, draft: Draft, errors: dict) -> None:
    end = record.end_on()
    if draft.ride_at < end:
        errors["ride_at"].append(_(
            "The ride started %(minutes)d minutes before the overtime ended (%(end)s).",
            minutes=_minutes(end - draft.ride_at) or 1, end=record.end_time))
    latest = end + timedelta(minutes=policy.ride_window_minutes)
    if draft.ride_at > latest:
        errors["ride_at"].append(_(
            "The ride started %(minutes)d minutes after the latest start allowed (%(latest)s, "
            "%(window)d minutes after the overtime ended).",
            minutes=_minutes(draft.ride_at - latest) or 1, latest=f"{latest:%H:%M}",
            window=policy.ride_window_minutes))


def _money_rules(policy: Policy, user, draft: Draft, claim_id: int | None,
                 errors: dict) -> None:
    if draft.amount_cents > policy.max_per_ride_cents:
        errors["amount"].append(_(
            "%(amount)s is %(over)s over the maximum per ride (%(max)s).",
            amount=money(draft.amount_cents),
            over=money(draft.amount_cents - policy.max_per_ride_cents),
            max=money(policy.max_per_ride_cents)))
    month = month_of(draft.day)
    total = month_total(user, month, claim_id) + draft.amount_cents
    if total > policy.monthly_cap_cents:
        errors["amount"].append(_(
            "With this ride your claims for %(month)s come to %(total)s, %(over)s over the "
            "monthly cap (%(cap)s).", month=month, total=money(total),
            over=money(total - policy.monthly_cap_cents), cap=money(policy.monthly_cap_cents)))
    if draft.amount_cents > policy.receipt_above_cents and not draft.has_receipt:
        errors["receipt"].append(_("A receipt is required for rides over %(limit)s.",
                                   limit=money(policy.receipt_above_cents)))


def check(user, draft: Draft, claim_id: int | None = None) -> dict[str, list[str]]:
    """Every rule of the policy in force on the ride's date; {field: [what fails, by how much]}."""
    errors: dict[str, list[str]] = {"day": [], "ride_at": [], "amount": [], "receipt": []}
    policy = policy_on(draft.ride_at.date())
    if policy is None:
        errors["ride_at"].append(_("No ride subsidy policy is in force on %(date)s.",
                                   date=draft.ride_at.date().isoformat()))
        return {k: v for k, v in errors.items() if v}
    record = record_of(user, draft.day)
    if record is None:
        errors["day"].append(_("There is no overtime record for this evening: record it "
                               "first."))
    elif not record.eligible:
        errors["day"].append(_("This evening's overtime record has no end time yet: add it "
                               "first."))
    else:
        _evening_rules(policy, record, errors)
        _ride_rules(policy, record, draft, errors)
    _money_rules(policy, user, draft, claim_id, errors)
    return {k: v for k, v in errors.items() if v}
