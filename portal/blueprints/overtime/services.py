"""Writes with several steps: recording overtime (with the night meal), confirming records,
saving a claim (checked, receipt read, duplicates refused by the database).

Services flush; the route or job commits. Approvals are in approvals.py.
"""

from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.blueprints.audit.services import record as audit
from portal.blueprints.canteen import queries as canteen_queries
from portal.blueprints.canteen import services as canteen
from portal.blueprints.overtime import queries, rules
from portal.blueprints.overtime.models import (
    RETURNED,
    WAITING_HEAD,
    WAITING_OFFICE,
    Claim,
    ClaimStep,
    MonthClose,
    OvertimeRecord,
)
from portal.blueprints.overtime.receipts import Receipt
from portal.errors import Refused
from portal.extensions import db
from portal.timeutil import local_at, portal_tz, utcnow


class MealRefused(Refused):
    """The canteen said no to the night meal (cut-off passed, already reserved...)."""


class ClaimInvalid(Exception):
    """The claim breaks rules: {field: [messages]}, shown beside the fields."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


def night_meal_open(day: date, now: datetime, cutoff: str | None = None) -> bool:
    """Whether tonight's night meal can still be reserved (before the canteen's cut-off; give
    its `cutoff` setting when already read)."""
    cutoff = cutoff or canteen_queries.settings().night_cutoff
    return day == now.date() and now < local_at(day, cutoff, now.tzinfo)


def save_record(user, data: dict, now: datetime, record: OvertimeRecord | None = None
                ) -> OvertimeRecord:
    """Record (or correct) an evening's overtime; reserve the night meal if one was chosen."""
    day = data["day"]
    if day > now.date():
        raise Refused(_("Overtime is recorded on the evening itself, not ahead."))
    if record is None:
        record = queries.record_of(user, day) or OvertimeRecord(user_id=user.id, day=day)
    elif record.day != day:
        raise Refused(_("The date of a record cannot change: cancel it and record again."))
    _claim_not_locked(user, day)
    record.start_time = data["start_time"]
    record.end_time = data["end_time"] or None
    record.expected_end = data["expected_end"] or None
    record.reason = data["reason"].strip()
    record.confirmed_at = record.confirmed_by_id = None  # a changed record is confirmed anew
    db.session.add(record)
    try:
        # Two phones at once: the unique constraint decides. No savepoint: a refusal rolls the
        # whole request back (and on SQLite a savepoint opened first would commit on release).
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise Refused(_("This evening is already recorded.")) from None
    if data.get("night_meal"):
        try:
            canteen.reserve_night_meal(user, day, data["night_meal"], now)
        except Refused as refused:
            raise MealRefused(refused.message) from None
    audit("overtime.record", f"overtime_record:{record.id}", day=day.isoformat())
    return record


def _claim_not_locked(user, day: date) -> None:
    claim = queries.claim_of(user, day)
    if claim is not None and claim.status not in (RETURNED,):
        raise Refused(_("This evening has a claim in approval: the record cannot change now."))


def cancel_record(user, record: OvertimeRecord, cancel_meal: bool, now: datetime) -> bool:
    """Remove a record (and tonight's night meal if asked); True if the meal was cancelled."""
    if queries.claim_of(user, record.day) is not None:
        raise Refused(_("This evening has a taxi claim: the record stays with it."))
    meal_cancelled = False
    if cancel_meal and canteen_queries.reservation_of(user, record.day) is not None:
        canteen.cancel_night_meal(user, record.day, now)
        meal_cancelled = True
    audit("overtime.cancel", f"overtime_record:{record.id}", day=record.day.isoformat())
    db.session.delete(record)
    db.session.flush()
    return meal_cancelled


def confirm_records(head, records: list[OvertimeRecord]) -> int:
    """The head confirms their people's records (those with an end time); returns how many."""
    count = 0
    for each in records:
        if each.eligible and not each.confirmed and each.user_id != head.id:
            each.confirmed_by_id, each.confirmed_at = head.id, utcnow()
            count += 1
    audit("overtime.confirm", "overtime_records", count=count)
    db.session.flush()
    return count


def month_closed(month: str) -> bool:
    return db.session.get(MonthClose, month) is not None


def refuse_if_closed(claim: Claim) -> None:
    if month_closed(claim.month):
        raise Refused(_("%(month)s is closed: its claims can no longer change.",
                        month=claim.month))


def first_stage(user) -> str:
    """The department head approves first, unless the claimant is the head (or there is none)."""
    department = user.department
    if department is None or department.head_id in (None, user.id):
        return WAITING_OFFICE
    return WAITING_HEAD


def _duplicate_errors(user, data: dict, claim: Claim | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    first = queries.claim_of(user, data["day"])
    if first is not None and first is not claim:
        errors["day"] = [_("This evening is already claimed: claim no. %(number)d of "
                           "%(date)s.", number=first.id, date=first.created_at.date())]
    number = data.get("invoice_no")
    if number:
        other = db.session.scalar(select(Claim).where(Claim.invoice_no == number))
        if other is not None and other is not claim:
            errors["invoice_no"] = [_("Invoice number %(invoice)s is already on claim no. "
                                      "%(number)d.", invoice=number, number=other.id)]
    return errors


def _mismatches(data: dict, receipt: Receipt | None) -> list[str]:
    """What the e-invoice says that differs from what was typed (shown, not refused)."""
    if receipt is None or receipt.invoice is None:
        return []
    invoice, found = receipt.invoice, []
    if invoice.number and data.get("invoice_no") and invoice.number != data["invoice_no"]:
        found.append(_("The invoice number typed (%(typed)s) is not the PDF's (%(read)s).",
                       typed=data["invoice_no"], read=invoice.number))
    if invoice.amount_cents is not None and invoice.amount_cents != data["amount_cents"]:
        found.append(_("The amount typed (%(typed)s) is not the invoice's (%(read)s).",
                       typed=rules.money(data["amount_cents"]),
                       read=rules.money(invoice.amount_cents)))
    if invoice.issued and invoice.issued not in (data["day"], data["day"] + timedelta(days=1)):
        found.append(_("The invoice is dated %(date)s, not the evening of the ride.",
                       date=invoice.issued.isoformat()))
    return found


def fill_from_invoice(data: dict, receipt: Receipt | None) -> None:
    """Fields left empty take what the e-invoice says (number, date, amount)."""
    if receipt is None or receipt.invoice is None:
        return
    invoice = receipt.invoice
    data["invoice_no"] = data.get("invoice_no") or invoice.number
    data["invoice_date"] = invoice.issued
    data["invoice_amount_cents"] = invoice.amount_cents
    if not data.get("amount_cents") and invoice.amount_cents:
        data["amount_cents"] = invoice.amount_cents


def save_claim(user, data: dict, receipt: Receipt | None, claim: Claim | None = None) -> Claim:
    """Check and save a claim; a new one or an edit is (re)submitted for approval.

    `data`: day, ride_at (naive local), amount_cents, from/to district, reason, invoice_no.
    Every rule runs on every save; raises ClaimInvalid with the messages for each field.
    """
    if claim is not None:
        refuse_if_closed(claim)
    if month_closed(rules.month_of(data["day"])):
        raise Refused(_("%(month)s is closed: its claims can no longer change.",
                        month=rules.month_of(data["day"])))
    fill_from_invoice(data, receipt)
    has_receipt = receipt is not None or (claim is not None and claim.has_receipt)
    draft = rules.Draft(data["day"], data["ride_at"], data["amount_cents"] or 0, has_receipt)
    errors = rules.check(user, draft, claim.id if claim else None)
    for field, messages in _duplicate_errors(user, data, claim).items():
        errors.setdefault(field, []).extend(messages)
    if errors:
        raise ClaimInvalid(errors)
    is_new = claim is None
    if is_new:
        claim = Claim(user_id=user.id, round=1)
    else:
        claim.round += 1  # approvals of the earlier round no longer count
    claim.department_id = user.department_id
    claim.record_id = queries.record_of(user, data["day"]).id
    claim.day, claim.month = data["day"], rules.month_of(data["day"])
    claim.ride_at = data["ride_at"].replace(tzinfo=portal_tz())
    claim.amount_cents = data["amount_cents"]
    claim.from_district = data["from_district"].strip()
    claim.to_district = data["to_district"].strip()
    claim.reason = data["reason"].strip()
    claim.invoice_no = data.get("invoice_no") or None
    if receipt is not None:
        claim.receipt, claim.receipt_mime, claim.receipt_removed_at = (
            receipt.content, receipt.mime, None)
        claim.invoice_date = data.get("invoice_date")
        claim.invoice_amount_cents = data.get("invoice_amount_cents")
        claim.warnings = "\n".join(_mismatches(data, receipt))[:500]
    claim.status, claim.waiting_since, claim.reminded_at = first_stage(user), utcnow(), None
    db.session.add(claim)
    try:
        db.session.flush()  # the same evening or invoice at once: the database decides
    except IntegrityError:
        db.session.rollback()
        raise ClaimInvalid(_duplicate_errors(user, data, None) or {
            "day": [_("This evening or this invoice is already claimed.")]}) from None
    claim.steps.append(ClaimStep(round=claim.round, stage="employee", action="submitted",
                                 actor_id=user.id))
    db.session.flush()
    audit("overtime.claim_submit", f"overtime_claim:{claim.id}", round=claim.round)
    return claim


def evening_end(record: OvertimeRecord) -> datetime | None:
    """The record's end as an aware local datetime (for pre-filling the ride time)."""
    end = record.end_on()
    return None if end is None else local_at(end.date(), f"{end:%H:%M}")
