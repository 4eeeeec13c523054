"""Shuttle forms: routes, drafts, publishing, stops, home district, late-run seats, requests."""

import re

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from portal.blueprints.shuttle.models import DIRECTIONS, KINDS, OUTCOMES
from portal.forms import MultiCheckboxField, PortalForm, hhmm

WEEKDAY_CHOICES = [("1", _l("Mon")), ("2", _l("Tue")), ("3", _l("Wed")), ("4", _l("Thu")),
                   ("5", _l("Fri")), ("6", _l("Sat")), ("7", _l("Sun"))]


def _plate(form, field):
    if field.data and not re.fullmatch(r"[\u4e00-\u9fffA-Z0-9·-]{5,10}", field.data.strip()):
        raise ValidationError(_l("A plate looks like 沪A·12345."))


def _phone(form, field):
    if field.data and not re.fullmatch(r"[0-9 +-]{7,20}", field.data.strip()):
        raise ValidationError(_l("Digits only, for example 13812345678."))


class RouteForm(PortalForm):
    name = StringField(_l("Route name"), validators=[DataRequired(), Length(max=40)],
                       render_kw={"placeholder": _l("e.g. Line 1 East")})
    direction = SelectField(_l("Route direction"), choices=list(DIRECTIONS.items()))


class DraftForm(PortalForm):
    plate = StringField(_l("Vehicle plate"), validators=[Optional(), Length(max=12), _plate])
    seats = IntegerField(_l("Seats"), validators=[DataRequired(), NumberRange(min=1, max=100)],
                         render_kw={"inputmode": "numeric"})
    driver_name = StringField(_l("Driver's name"), validators=[Optional(), Length(max=40)])
    driver_phone = StringField(_l("Driver's phone"), validators=[Optional(), _phone],
                               render_kw={"inputmode": "tel"})
    weekdays = MultiCheckboxField(_l("Runs on"), choices=WEEKDAY_CHOICES,
                                  validators=[DataRequired(_l("Choose at least one day."))])
    stops = TextAreaField(
        _l("Stops in order, one a line: time and stop name"),
        validators=[DataRequired()], render_kw={"rows": 12, "placeholder": "07:05 东门站"})


class PublishForm(PortalForm):
    kind = RadioField(_l("What kind of change"), choices=list(KINDS.items()),
                      default="service_change", validators=[DataRequired()])
    effective_from = DateField(_l("Takes effect on"), validators=[DataRequired()])
    reason = TextAreaField(_l("Reason (needed for a service change at short notice)"),
                           validators=[Optional(), Length(max=500)], render_kw={"rows": 3})


class ExceptionForm(PortalForm):
    day = DateField(_l("Exception day"), validators=[DataRequired()])
    runs = RadioField(_l("On that day the route"), choices=[
        ("0", _l("does not run")), ("1", _l("runs"))], default="0")
    note = StringField(_l("Note shown to riders"), validators=[Optional(), Length(max=80)])


class DistrictForm(PortalForm):
    name = StringField(_l("District (Chinese)"), validators=[DataRequired(), Length(max=40)])
    name_en = StringField(_l("District (English)"), validators=[Optional(), Length(max=60)])


class StopForm(PortalForm):
    name = StringField(_l("Stop name"), validators=[DataRequired(), Length(max=40)])
    district_id = SelectField(_l("District"), coerce=int, validators=[DataRequired()])
    note = StringField(_l("Where exactly"), validators=[Optional(), Length(max=120)],
                       render_kw={"placeholder": _l("e.g. outside the north gate of the park")})


class HomeForm(PortalForm):
    district_id = SelectField(_l("Home district"), coerce=int,
                              validators=[DataRequired(_l("Choose your district."))])
    stop_id = SelectField(_l("Preferred stop"), coerce=int, validators=[Optional()])


class BookForm(PortalForm):
    route_id = HiddenField(validators=[DataRequired()])
    stop_id = SelectField(_l("Get off at"), coerce=int,
                          validators=[DataRequired(_l("Choose a stop."))])


class StopRequestForm(PortalForm):
    district_id = SelectField(_l("District"), coerce=int,
                              validators=[DataRequired(_l("Choose your district."))])
    where = StringField(_l("Where the stop should be"),
                        validators=[DataRequired(), Length(max=120)],
                        render_kw={"placeholder": _l("e.g. the crossing by the primary school")})


class AnswerForm(PortalForm):
    outcome = RadioField(_l("Request outcome"), choices=list(OUTCOMES.items()),
                         validators=[DataRequired(_l("Choose an outcome."))])
    planned_on = DateField(_l("Served from (planned)"), validators=[Optional()])
    reason = TextAreaField(_l("Answer (the reason, when declined)"),
                           validators=[Optional(), Length(max=500)], render_kw={"rows": 2})


class SettingsForm(PortalForm):
    notice_days = IntegerField(_l("Days of notice before a service change"),
                               validators=[DataRequired(), NumberRange(min=0, max=60)])
    late_cutoff = StringField(_l("Late-run booking closes at"), validators=[hhmm])
    home_changes_per_month = IntegerField(
        _l("Home district changes allowed per month"),
        validators=[DataRequired(), NumberRange(min=1, max=31)])
