"""Facilities' set-up pages: rooms and devices (CSV import, QR labels) and the rota.

The settings page (workflow, targets; holidays come from the company calendar) is in settings.py.
"""

from datetime import datetime, timedelta

from flask import flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.blueprints.documents.services import progress_widget, start_document
from portal.blueprints.repairs import calendars, importer, queries, services
from portal.blueprints.repairs.forms import (
    AssetForm,
    DutyForm,
    ImportForm,
    LocationForm,
    ShiftForm,
)
from portal.blueprints.repairs.models import Asset, Location, OnCallShift
from portal.blueprints.repairs.routes import bp
from portal.errors import Refused
from portal.extensions import db
from portal.htmx import see_other
from portal.security import role_required
from portal.timeutil import portal_tz, utcnow


def _places_page(status: int = 200, **forms):
    places = db.session.scalars(
        select(Location).order_by(Location.building, Location.floor, Location.room)).all()
    assets = db.session.scalars(select(Asset).order_by(Asset.name)).all()
    by_place: dict[int, list[Asset]] = {}
    for asset in assets:
        by_place.setdefault(asset.location_id, []).append(asset)
    asset_form = forms.get("asset_form") or AssetForm()
    asset_form.location_id.choices = [(p.id, str(p)) for p in places]
    return render_template(
        "repairs/places.html", places=places, by_place=by_place, asset_form=asset_form,
        location_form=forms.get("location_form") or LocationForm(),
        import_form=forms.get("import_form") or ImportForm(), report=forms.get("report"),
    ), status


@bp.get("/places")
@role_required("facilities")
def places():
    """Rooms and devices, with the forms to add them, import a CSV and print QR labels."""
    return _places_page()


@bp.post("/places/new")
@role_required("facilities")
def place_add():
    """Add one room."""
    form = LocationForm()
    if form.validate_on_submit():
        try:
            services.save_location(None, form.building.data, form.floor.data, form.room.data)
        except Refused as refused:
            form.room.errors.append(refused.message)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return see_other(url_for("repairs.places"))
    return _places_page(422, location_form=form)


@bp.post("/assets/new")
@role_required("facilities")
def asset_add():
    """Add one device to a room."""
    form = AssetForm()
    form.location_id.choices = [(p.id, str(p)) for p in db.session.scalars(select(Location))]
    if form.validate_on_submit():
        try:
            services.save_asset(None, form.code.data, form.name.data, form.category.data,
                                form.location_id.data)
        except Refused as refused:
            form.code.errors.append(refused.message)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return see_other(url_for("repairs.places"))
    return _places_page(422, asset_form=form)


@bp.route("/places/<int:location_id>/edit", methods=["GET", "POST"])
@role_required("facilities")
def place_edit(location_id: int):
    """Rename a room; its QR labels keep working (they carry the room's id, not its name)."""
    place = db.get_or_404(Location, location_id)
    form = LocationForm(obj=place)
    if form.validate_on_submit():
        try:
            services.save_location(place, form.building.data, form.floor.data, form.room.data)
        except Refused as refused:
            form.room.errors.append(refused.message)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return see_other(url_for("repairs.places"))
    return render_template("repairs/place_edit.html", form=form, heading=str(place),
                           action=url_for("repairs.place_edit", location_id=place.id)), (
        422 if form.errors else 200)


@bp.route("/assets/<int:asset_id>/edit", methods=["GET", "POST"])
@role_required("facilities")
def asset_edit(asset_id: int):
    """Rename a device, change its category or move it to another room."""
    asset = db.get_or_404(Asset, asset_id)
    form = AssetForm(obj=asset)
    form.location_id.choices = [(p.id, str(p)) for p in db.session.scalars(
        select(Location).order_by(Location.building, Location.floor, Location.room))]
    if form.validate_on_submit():
        try:
            services.save_asset(asset, form.code.data, form.name.data, form.category.data,
                                form.location_id.data)
        except Refused as refused:
            form.code.errors.append(refused.message)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return see_other(url_for("repairs.places"))
    return render_template("repairs/place_edit.html", form=form, heading=asset.name,
                           action=url_for("repairs.asset_edit", asset_id=asset.id)), (
        422 if form.errors else 200)


@bp.post("/places/<int:location_id>/active")
@role_required("facilities")
def place_toggle(location_id: int):
    """Take a room out of use (no new requests, no labels), or back into use."""
    services.toggle_location(db.get_or_404(Location, location_id))
    db.session.commit()
    return see_other(url_for("repairs.places"))


@bp.post("/assets/<int:asset_id>/active")
@role_required("facilities")
def asset_toggle(asset_id: int):
    """Take a device out of use, or back into use."""
    services.toggle_asset(db.get_or_404(Asset, asset_id))
    db.session.commit()
    return see_other(url_for("repairs.places"))


@bp.post("/places/import")
@role_required("facilities")
def places_import():
    """Import rooms and devices from CSV; all rows are checked before anything is written."""
    form = ImportForm()
    if form.validate_on_submit():
        try:
            report = importer.check_rows(importer.read_csv(form.file.data.read()))
        except ValueError as error:
            form.file.errors.append(str(error))
            return _places_page(422, import_form=form)
        if report.refused:
            return _places_page(422, import_form=form, report=report)
        services.import_places(report)
        db.session.commit()
        flash(_("Imported: %(rooms)d new rooms, %(assets)d devices.",
                rooms=report.rooms_created, assets=report.assets_saved), "success")
        return see_other(url_for("repairs.places"))
    return _places_page(422, import_form=form)


@bp.post("/places/labels")
@role_required("facilities")
def labels():
    """Start a QR label sheet (PDF, made in a job): one room, one device, a building or all."""
    location_id = request.form.get("location_id", 0, type=int)
    asset_id = request.form.get("asset_id", 0, type=int)
    if location_id:
        db.get_or_404(Location, location_id)
    if asset_id:
        db.get_or_404(Asset, asset_id)
    which = ({"asset_id": asset_id} if asset_id else {"location_id": location_id}
             if location_id else {"building": request.form.get("building", "")[:60]})
    return progress_widget(start_document("repairs_labels_pdf", current_user,
                                          base_url=request.url_root, **which))


def _local(value: datetime) -> datetime:
    return value.replace(tzinfo=portal_tz())


def _rota_page(form: ShiftForm, duty_form: DutyForm):
    now = utcnow()
    shifts = db.session.scalars(
        select(OnCallShift).where(OnCallShift.ends_at > now)
        .options(selectinload(OnCallShift.user)).order_by(OnCallShift.starts_at)).all()
    status = 422 if form.errors or duty_form.errors else 200
    return render_template("repairs/rota.html", form=form, duty_form=duty_form, shifts=shifts,
                           now=now, coverage=calendars.uncovered_by_day(now),
                           days=calendars.ROTA_DAYS), status


def _rota_forms() -> tuple[ShiftForm, DutyForm]:
    technicians = [(u.id, u.name) for u in queries.technicians()]
    form, duty_form = ShiftForm(), DutyForm(prefix="duty")
    form.user_id.choices = duty_form.user_id.choices = technicians
    return form, duty_form


@bp.route("/rota", methods=["GET", "POST"])
@role_required("facilities")
def rota():
    """Who is on duty when, day and night: the hours nobody covers, the shifts, two forms."""
    form, duty_form = _rota_forms()
    if form.validate_on_submit():
        services.add_shift(form.user_id.data, _local(form.starts_at.data),
                           _local(form.ends_at.data))
        db.session.commit()
        flash(_("Saved."), "success")
        return see_other(url_for("repairs.rota"))
    return _rota_page(form, duty_form)


@bp.post("/rota/duties")
@role_required("facilities")
def rota_duties():
    """Day (office hours) or night duties for one technician, one per day of a run of days."""
    form, duty_form = _rota_forms()
    if not duty_form.validate_on_submit():
        return _rota_page(form, duty_form)
    first = duty_form.first_day.data
    last = duty_form.last_day.data or first
    for offset in range((last - first).days + 1):
        services.add_shift(duty_form.user_id.data,
                           *calendars.duty_times(first + timedelta(days=offset),
                                                 duty_form.kind.data))
    db.session.commit()
    flash(ngettext("Saved: %(num)d duty.", "Saved: %(num)d duties.", (last - first).days + 1),
          "success")
    return see_other(url_for("repairs.rota"))


@bp.post("/rota/<int:shift_id>/delete")
@role_required("facilities")
def rota_delete(shift_id: int):
    """Remove a shift."""
    services.delete_shift(db.get_or_404(OnCallShift, shift_id))
    db.session.commit()
    return see_other(url_for("repairs.rota"))
