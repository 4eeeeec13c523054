"""Forms of the repair module. Choices that come from the database are filled by the view."""

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, MultipleFileField
from wtforms import (
    DateField,
    DateTimeLocalField,
    DecimalField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import TextInput

from portal.blueprints.repairs.models import CATEGORIES, CHANNELS, RATINGS, URGENCIES
from portal.forms import PortalForm


def _choices(mapping) -> list:
    return list(mapping.items())


class RequestForm(PortalForm):
    # No category until the person picks one: a default would send unread requests to the
    # 24-hour channel (lab) or hide them in the wrong one.
    category = SelectField(_l("What is broken"),
                           choices=[("", _l("— choose —"))] + _choices(CATEGORIES),
                           validators=[DataRequired(message=_l("Choose what is broken."))])
    location_id = SelectField(_l("Where"), coerce=int,
                              validators=[DataRequired(message=_l("Choose the room."))])
    asset_id = SelectField(_l("Which device (optional)"), coerce=int, validators=[Optional()])
    description = TextAreaField(_l("What is wrong"),
                                validators=[DataRequired(), Length(min=2, max=2000)])  # 灯不亮
    urgency = RadioField(_l("How urgent"), choices=_choices(URGENCIES), default="normal",
                         validators=[DataRequired()])
    photos = MultipleFileField(_l("Photos (up to 3)"))


class AssignForm(PortalForm):
    assignee_id = SelectField(_l("Technician"), coerce=int, validators=[DataRequired()])


class ResolveForm(PortalForm):
    resolution = TextAreaField(_l("What was done"),
                               validators=[DataRequired(), Length(min=3, max=2000)])
    photo = FileField(_l("Photo of the fix (optional)"))


class ReopenForm(PortalForm):
    reason = TextAreaField(_l("Why is it not fixed"),
                           validators=[DataRequired(), Length(min=3, max=1000)])


class RatingForm(PortalForm):
    rating = RadioField(_l("Your rating"), coerce=int,
                        choices=list(RATINGS.items()),
                        validators=[InputRequired(message=_l(
                            "Choose a rating from 1 (very poor) to 5 (very good)."))])
    comment = TextAreaField(_l("Comment (optional)"), validators=[Optional(), Length(max=1000)])


class LocationForm(PortalForm):
    building = StringField(_l("Building"), validators=[DataRequired(), Length(max=60)])
    floor = StringField(_l("Floor"), validators=[DataRequired(), Length(max=20)])
    room = StringField(_l("Room"), validators=[DataRequired(), Length(max=60)])


class AssetForm(PortalForm):
    code = StringField(_l("Asset tag"), validators=[DataRequired(), Length(max=40)])
    name = StringField(_l("Device name"), validators=[DataRequired(), Length(max=100)])
    category = SelectField(_l("Category"), choices=_choices(CATEGORIES))
    location_id = SelectField(_l("Room"), coerce=int, validators=[DataRequired()])


class ImportForm(PortalForm):
    file = FileField(_l("CSV file"), validators=[DataRequired(message=_l("Choose a file."))])


class ShiftForm(PortalForm):
    user_id = SelectField(_l("Technician"), coerce=int, validators=[DataRequired()])
    starts_at = DateTimeLocalField(_l("From"), validators=[DataRequired()])
    ends_at = DateTimeLocalField(_l("Until"), validators=[DataRequired()])

    def validate_ends_at(self, field):
        if self.starts_at.data and field.data and field.data <= self.starts_at.data:
            raise ValidationError(_l("The end must be after the start."))


def check_day_range(first, last, max_days: int) -> None:
    """An optional last day: not before the first, and at most `max_days` days in all."""
    if first and last:
        if last < first:
            raise ValidationError(_l("The last day cannot be before the first."))
        if (last - first).days >= max_days:
            raise ValidationError(_l("At most %(days)d days at a time.", days=max_days))


DUTY_KINDS = {"day": _l("Day duty (office hours, 08:30–17:30)"),
              "night": _l("Night duty (17:30 to 08:30 the next morning)")}
MAX_DUTY_DAYS = 31


class DutyForm(PortalForm):
    """Day or night duties for one technician over a run of days: the usual way to fill a rota."""

    user_id = SelectField(_l("Technician"), coerce=int, validators=[DataRequired()])
    kind = RadioField(_l("Duty"), choices=_choices(DUTY_KINDS), default="day",
                      validators=[DataRequired()])
    first_day = DateField(_l("First day"), validators=[DataRequired()])
    last_day = DateField(_l("Last day (optional)"), validators=[Optional()])

    def validate_last_day(self, field):
        check_day_range(self.first_day.data, field.data, MAX_DUTY_DAYS)


class SettingsForm(PortalForm):
    auto_confirm_days = IntegerField(_l("Confirm automatically after (days)"),
                                     validators=[InputRequired(), NumberRange(min=1, max=60)])
    remind_before_minutes = IntegerField(_l("Remind the technician before a target (minutes)"),
                                         validators=[InputRequired(), NumberRange(min=5, max=1440)])
    lead_id = SelectField(_l("Facilities lead (gets escalations)"), coerce=int,
                          validators=[Optional()])


MAX_TARGET_HOURS = 200  # ~22 working days: stays inside the 60 days OfficeCalendar reads
TARGET_KINDS = ("response", "resolution")
NOT_HOURS = _l("Enter a number of hours, e.g. 0.5 or 4.")


class HoursField(DecimalField):
    """A number of hours; 0.5 is half an hour. Anything else gets a message a person follows.

    A text box with a decimal keypad rather than type=number: what was typed comes back as typed.
    """

    widget = TextInput()

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(NOT_HOURS) from None
        if self.data is not None and not self.data.is_finite():  # "NaN", "Infinity"
            self.data = None
            raise ValueError(NOT_HOURS)


def _positive_hours(form, field):
    if field.data is not None and field.data <= 0:
        raise ValidationError(_l("Enter a positive number of hours."))
    if field.data is not None and field.data > MAX_TARGET_HOURS:
        raise ValidationError(_l("At most %(hours)d hours.", hours=MAX_TARGET_HOURS))


def target_field_name(kind: str, urgency: str, target: str) -> str:
    """The form field of one target, e.g. office_urgent_response."""
    return f"{kind}_{urgency}_{target}"


def hours(minutes: int) -> Decimal:
    """Minutes as hours for the form: 30 -> 0.5, 240 -> 4, 20 -> 0.33."""
    return Decimal(f"{minutes / 60:.2f}".rstrip("0").rstrip("."))


def minutes(hours_value: Decimal) -> int:
    """Hours typed in the form as whole minutes (at least one)."""
    return max(1, round(hours_value * 60))


class TargetsForm(PortalForm):
    """Response and resolution hours for each channel and urgency (fields added below)."""

    def minutes_by_target(self) -> dict[tuple[str, str], tuple[int, int]]:
        """{(channel, urgency): (response, resolution) minutes}, from validated hours."""
        result = {}
        for kind in CHANNELS:
            for urgency in URGENCIES:
                response = self[target_field_name(kind, urgency, "response")].data
                resolution = self[target_field_name(kind, urgency, "resolution")].data
                result[kind, urgency] = (minutes(response), minutes(resolution))
        return result

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for kind in CHANNELS:
            for urgency in URGENCIES:
                response = self[target_field_name(kind, urgency, "response")]
                resolution = self[target_field_name(kind, urgency, "resolution")]
                if (not response.errors and not resolution.errors
                        and minutes(resolution.data) < minutes(response.data)):
                    resolution.errors.append(
                        _l("Resolution cannot take less time than the response."))
                    valid = False
        return valid


# Twelve fields, one per channel × urgency × target; written out they would be twelve copies.
for _kind, _channel_label in CHANNELS.items():
    for _urgency, _urgency_label in URGENCIES.items():
        for _target, _target_label in (("response", _l("response target")),
                                       ("resolution", _l("resolution target"))):
            setattr(TargetsForm, target_field_name(_kind, _urgency, _target), HoursField(
                _l("%(channel)s, %(urgency)s: %(target)s (hours)", channel=_channel_label,
                   urgency=_urgency_label, target=_target_label),
                validators=[InputRequired(message=NOT_HOURS),
                            _positive_hours],
                places=None,  # shown as stored: 0.5, 4, 0.33
                render_kw={"inputmode": "decimal", "autocomplete": "off"}))
