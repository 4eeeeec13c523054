"""Overtime 加班登记 and ride claims 加班打车补贴: what an employee does.

Approvals and the team's records are in approve.py; the office's pages in office.py; both
register their views on this blueprint.
"""

from datetime import date, timedelta
from decimal import Decimal

from flask import Blueprint, Response, abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal.blueprints.accounts.sessions import reads_who_only
from portal.blueprints.canteen import menu_cache
from portal.blueprints.canteen import services as canteen
from portal.blueprints.canteen.models import Dish
from portal.blueprints.overtime import queries, services, shuttle
from portal.blueprints.overtime.approvals import current_approvals
from portal.blueprints.overtime.forms import CancelRecordForm, ClaimForm, RecordForm, cents
from portal.blueprints.overtime.models import (
    RETURNED,
    STATUSES,
    WAITING_HEAD,
    WAITING_OFFICE,
    Claim,
)
from portal.blueprints.overtime.receipts import read_receipt
from portal.blueprints.pwa.outbox import outbox
from portal.converters import calendar_date
from portal.errors import Refused
from portal.extensions import db
from portal.htmx import render, see_other
from portal.keys import plain
from portal.templating import current_lang, kept_page
from portal.timeutil import local_now, monday_of, to_local
from portal.uploads import PhotoError, max_mb

bp = Blueprint("overtime", __name__, url_prefix="/overtime", template_folder="templates")


bp.add_app_template_global(STATUSES, "OVERTIME_STATUSES")


def _night_meals(version: int | None, day: date) -> list:
    """`day`'s night meals as the canteen keeps the published week (read once per menu
    change), not its rows."""
    _published, days = menu_cache.published_menu(version, monday_of(day))
    menu = next((d for d in days if d.day == day), None)
    return [] if menu is None or menu.closed else menu.meals["night"]


def _record_form(record=None, night: list | None = None) -> RecordForm:
    now = local_now()
    if night is None:
        night = _night_meals(menu_cache.current_version(), now.date())
    form = RecordForm(obj=record, day=now.date()) if record else RecordForm(day=now.date())
    lang = current_lang()
    form.night_meal.choices = [(0, _("No night meal"))] + [
        (item.dish_id, item.dish.label(lang)) for item in night]
    return form


def _index_page(form: RecordForm | None = None, status: int = 200):
    """The page; its record form filled from tonight's record unless `form` is given (a refused
    record, as typed, with its errors).

    Without a form, the page's content is kept per everything it shows: the language, the roles,
    the menu's version (tonight's dishes, the cut-off), the day, whether the night meal is still
    open, my reserved dish, my records and my claims (plain values); only the CSRF tokens are
    filled in per request.
    """
    now = local_now()
    today = now.date()
    # The menu's version and tonight's night meal in one statement; the menu and the canteen's
    # settings as kept for that version; tonight's record is among my recent ones.
    mine = menu_cache.personal(current_user, today)
    night = _night_meals(mine.version, today)
    records = queries.my_records(current_user, today - timedelta(days=35))
    tonight = next((record for record in records if record.day == today), None)
    claims = queries.my_claims(current_user)
    cutoff = menu_cache.settings(mine.version).night_cutoff
    meal_open = services.night_meal_open(today, now, cutoff)

    def context(form: RecordForm) -> dict:
        return dict(form=form, tonight=tonight, cutoff=cutoff, records=records, claims=claims,
                    meal_open=meal_open and len(form.night_meal.choices) > 1,
                    meal=_reserved_dish(mine.reserved_dish_id, night),
                    cancel_form=CancelRecordForm() if tonight else None)

    if form is not None:
        return render("overtime/index.html", **context(form)), status
    key = ("overtime", tuple(sorted(current_user.roles)), mine.version, today, meal_open,
           mine.reserved_dish_id, plain(records), plain(claims))
    return kept_page("overtime/index.html", key,
                     lambda: context(_record_form(tonight, night)))


def _reserved_dish(dish_id: int | None, night: list):
    """Tonight's reserved dish: from the kept menu, read only when the menu no longer has it."""
    if dish_id is None:
        return None
    kept = next((item.dish for item in night if item.dish_id == dish_id), None)
    return kept or db.session.get(Dish, dish_id)


@bp.get("/")
@reads_who_only(apart=True)  # the person and the page's reads on one connection, outside the ORM
def index():
    """Tonight's overtime (recorded or to record), my recent records and my claims."""
    return _index_page()


@bp.post("/record")
@outbox
def record():
    """Record tonight's overtime; before the cut-off, the night meal in the same step."""
    form = _record_form()
    if form.validate_on_submit():
        try:
            services.save_record(current_user, form.data, local_now())
        except services.MealRefused as refused:
            db.session.rollback()
            form.night_meal.errors.append(refused.message)
        except Refused as refused:
            db.session.rollback()
            form.day.errors.append(refused.message)
        else:
            db.session.commit()
            flash(_("Overtime recorded."), "success")
            return see_other(url_for("overtime.index"))
    return _index_page(form, 422)


@bp.post("/records/<int:record_id>/cancel")
def cancel_record(record_id: int):
    """Cancel a record; the night meal with it when the box is ticked."""
    record = queries.get_record(record_id, for_user=current_user)
    form = CancelRecordForm()
    try:
        meal = services.cancel_record(current_user, record, form.cancel_meal.data, local_now())
    except Refused as refused:
        db.session.rollback()
        flash(refused.message, "error")
        return see_other(url_for("overtime.index"))
    db.session.commit()
    flash(_("Overtime cancelled, and tonight's night meal with it.") if meal
          else _("Overtime cancelled."), "success")
    return see_other(url_for("overtime.index"))


@bp.post("/night-meal/cancel")
def cancel_meal():
    """Cancel tonight's night meal from here; the page then offers to cancel the overtime."""
    try:
        canteen.cancel_night_meal(current_user, local_now().date(), local_now())
    except Refused as refused:
        flash(refused.message, "error")
        return see_other(url_for("overtime.index"))
    db.session.commit()
    flash(_("Night meal cancelled. If you are not working late after all, cancel the overtime "
            "below too."), "success")
    return see_other(url_for("overtime.index"))


def _claim_data(form: ClaimForm) -> dict:
    data = dict(form.data)
    data["amount_cents"] = cents(form.amount.data)
    data["invoice_no"] = (form.invoice_no.data or "").strip() or None
    return data


def _claim_page(form: ClaimForm, claim=None, status: int = 200, receipt_again: bool = False):
    day = form.day.data
    record = queries.record_of(current_user, day) if day else None
    return render("overtime/claim_form.html", form=form, claim=claim, record=record,
                  max_mb=max_mb(), receipt_again=receipt_again,
                  late_run=shuttle.late_run_for(current_user, record)), status


def _save(form: ClaimForm, claim=None):
    """Check and save; errors go beside their fields, with everything typed kept."""
    try:
        receipt = read_receipt(form.receipt.data)
    except PhotoError as error:
        form.receipt.errors = [*form.receipt.errors, str(error)]
        return _claim_page(form, claim, 422)
    try:
        claim = services.save_claim(current_user, _claim_data(form), receipt, claim)
    except services.ClaimInvalid as invalid:
        db.session.rollback()
        for name, messages in invalid.errors.items():
            field = form[name] if name in form else form.day
            field.errors = [*field.errors, *messages]
        return _claim_page(form, claim, 422, receipt_again=receipt is not None)
    except Refused as refused:
        db.session.rollback()
        form.day.errors = [*form.day.errors, refused.message]
        return _claim_page(form, claim, 422)
    db.session.commit()
    flash(_("Claim submitted."), "success")
    return see_other(url_for("overtime.claim", claim_id=claim.id))


@bp.route("/claims/new", methods=["GET", "POST"])
@outbox
def new_claim():
    """A claim pre-filled from the evening's record (date, ride time from its end)."""
    form = ClaimForm()
    if form.validate_on_submit():
        return _save(form)
    if request.method == "GET":
        day = request.args.get("day", type=calendar_date) or local_now().date()
        form.day.data = day
        record = queries.record_of(current_user, day)
        if record is not None:
            end = services.evening_end(record)
            form.ride_at.data = end.replace(tzinfo=None) if end else None
            form.reason.data = record.reason
    return _claim_page(form, status=422 if form.errors else 200)


@bp.get("/claims/<int:claim_id>")
def claim(claim_id: int):
    """One claim: its state, the checks, its history; the approver's buttons when it waits."""
    from portal.blueprints.overtime.approve import decision_context

    item = queries.get_claim(claim_id, current_user, local_now().date())
    return render("overtime/claim.html", claim=item, approvals=current_approvals(item),
                  **decision_context(item))


@bp.route("/claims/<int:claim_id>/edit", methods=["GET", "POST"])
@outbox
def edit_claim(claim_id: int):
    """Fix and resubmit one's own claim (a new round); a closed month's claim never changes."""
    item = queries.get_claim(claim_id, current_user, local_now().date())
    if item.user_id != current_user.id:
        abort(404)
    if item.status not in (WAITING_HEAD, WAITING_OFFICE, RETURNED) or services.month_closed(
            item.month):
        flash(_("This claim can no longer change."), "error")
        return see_other(url_for("overtime.claim", claim_id=item.id))
    form = ClaimForm(data={  # what a posted form lacks comes from the claim
        "day": item.day, "ride_at": to_local(item.ride_at).replace(tzinfo=None),
        "from_district": item.from_district, "to_district": item.to_district,
        "amount": Decimal(item.amount_cents) / 100, "invoice_no": item.invoice_no,
        "reason": item.reason})
    if form.validate_on_submit():
        return _save(form, item)
    return _claim_page(form, item, 422 if form.errors else 200)


@bp.get("/claims/<int:claim_id>/receipt")
def receipt(claim_id: int):
    """The receipt file: only for the employee and the office (404 for anyone else)."""
    item = queries.get_claim(claim_id, current_user, local_now().date())
    if item.user_id != current_user.id and not current_user.has_role("office"):
        abort(404)
    if not item.has_receipt:
        abort(404)
    content = db.session.scalar(select(Claim.receipt).where(Claim.id == item.id))
    return Response(content, mimetype=item.receipt_mime, headers={
        "Cache-Control": "private, no-store", "Content-Disposition": "inline"})
