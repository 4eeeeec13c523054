"""Overtime forms: the evening's record, the claim, the approver's decision, the policy,
stand-ins and settings."""

import re

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    DecimalField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from portal.converters import db_int
from portal.forms import PortalForm

HHMM = re.compile(r"([01]\d|2[0-3]):[0-5]\d")


def _hhmm(form, field):
    if field.data and not HHMM.fullmatch(field.data):
        raise ValidationError(_l("Use the form HH:MM, for example 21:30."))


def _district(form, field):
    # A district (浦东新区), never an address: a late taxi's drop-off is the person's home.
    if re.search(r"\d|路|街|号|弄|室|栋", field.data or ""):
        raise ValidationError(_l("The district only (for example 浦东新区), never a street or "
                                 "a number."))


def cents(value) -> int | None:
    return None if value is None else int(round(value * 100))


class RecordForm(PortalForm):
    day = DateField(_l("Date"), validators=[DataRequired()])
    start_time = StringField(_l("Start time"), validators=[DataRequired(), _hhmm],
                             render_kw={"type": "time"})
    end_time = StringField(_l("End time"), validators=[Optional(), _hhmm],
                           render_kw={"type": "time"})
    expected_end = StringField(_l("Expected end"), validators=[Optional(), _hhmm],
                               render_kw={"type": "time"})
    reason = StringField(_l("Project or reason"), validators=[DataRequired(), Length(max=200)])
    night_meal = SelectField(_l("Night meal tonight"), coerce=db_int, choices=[],
                             validate_choice=False)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not self.end_time.data and not self.expected_end.data:
            # Beside "expected end": Optional() stops field validators on an empty field.
            self.expected_end.errors = [*self.expected_end.errors, _l(
                "Give the end, or the expected end if you are still working.")]
            return False
        return valid


class CancelRecordForm(PortalForm):
    cancel_meal = BooleanField(_l("Also cancel tonight's night meal"), default=True)


class ClaimForm(PortalForm):
    day = DateField(_l("Overtime evening"), validators=[DataRequired()])
    ride_at = DateTimeLocalField(_l("Ride start"), format="%Y-%m-%dT%H:%M",
                                 validators=[DataRequired()])
    from_district = StringField(_l("From (district)"),
                                validators=[DataRequired(), Length(max=20), _district])
    to_district = StringField(_l("To (district)"),
                              validators=[DataRequired(), Length(max=20), _district])
    amount = DecimalField(_l("Amount (yuan)"), places=2,
                          validators=[Optional(), NumberRange(min=0.01, max=9999)],
                          render_kw={"inputmode": "decimal"})
    invoice_no = StringField(_l("Invoice number"),
                             validators=[Optional(), Length(max=30)],
                             render_kw={"inputmode": "numeric"})
    receipt = FileField(_l("Receipt (photo or e-invoice PDF)"))
    reason = StringField(_l("Project or reason"), validators=[Optional(), Length(max=200)])

    def validate_invoice_no(self, field):
        if field.data and not re.fullmatch(r"\d{8,20}", field.data.strip()):
            raise ValidationError(_l("An invoice number is 8 to 20 digits."))


class ReturnForm(PortalForm):
    reason = TextAreaField(_l("Why it goes back"),
                           validators=[DataRequired(), Length(max=300)])


class ConfirmWeekForm(PortalForm):
    pass


class PolicyForm(PortalForm):
    effective_from = DateField(_l("In force from"), validators=[DataRequired()])
    earliest_end = StringField(_l("Earliest eligible end of overtime"),
                               validators=[DataRequired(), _hhmm], default="21:00")
    ride_window_minutes = IntegerField(_l("Latest ride start after the end (minutes)"),
                                       validators=[DataRequired(), NumberRange(1, 600)],
                                       default=120)
    max_per_ride = DecimalField(_l("Maximum per ride (yuan)"), places=2, default=100,
                                validators=[DataRequired(), NumberRange(1, 9999)])
    monthly_cap = DecimalField(_l("Monthly cap per person (yuan)"), places=2, default=800,
                               validators=[DataRequired(), NumberRange(1, 99999)])
    receipt_above = DecimalField(_l("Receipt required above (yuan)"), places=2, default=0,
                                 validators=[Optional(), NumberRange(0, 9999)])
    rest_days_allowed = BooleanField(_l("Rides after overtime on rest days are subsidised"),
                                     default=True)
    holidays_allowed = BooleanField(_l("Rides after overtime on holidays are subsidised"),
                                    default=True)
    rest_day_earliest_end = StringField(_l("Earliest eligible end on rest days and holidays"),
                                        validators=[DataRequired(), _hhmm], default="18:00")


class StandInForm(PortalForm):
    stand_in = StringField(_l("Stand-in's employee number"),
                           validators=[DataRequired(), Length(max=20)])
    first_day = DateField(_l("From"), validators=[DataRequired()])
    last_day = DateField(_l("Until"), validators=[DataRequired()])


class SettingsForm(PortalForm):
    reminder_hours = IntegerField(_l("Remind approvers after (hours)"),
                                  validators=[DataRequired(), NumberRange(1, 240)])
    receipt_retention_days = IntegerField(_l("Keep receipt files for (days)"),
                                          validators=[DataRequired(), NumberRange(30, 3650)])
