"""Forms of the repair module. Choices that come from the database are filled by the view."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from portal.blueprints.repairs.models import CATEGORIES, URGENCIES


def _choices(mapping) -> list:
    return list(mapping.items())


class RequestForm(FlaskForm):
    category = SelectField(_l("What is broken"), choices=_choices(CATEGORIES),
                           validators=[DataRequired()])
    location_id = SelectField(_l("Where"), coerce=int,
                              validators=[DataRequired(message=_l("Choose the room."))])
    asset_id = SelectField(_l("Which device (optional)"), coerce=int, validators=[Optional()])
    description = TextAreaField(_l("What is wrong"),
                                validators=[DataRequired(), Length(min=2, max=2000)])  # 灯不亮
    urgency = RadioField(_l("How urgent"), choices=_choices(URGENCIES), default="normal",
                         validators=[DataRequired()])
    photos = MultipleFileField(_l("Photos (up to 3)"))


class AssignForm(FlaskForm):
    assignee_id = SelectField(_l("Technician"), coerce=int, validators=[DataRequired()])


class ResolveForm(FlaskForm):
    resolution = TextAreaField(_l("What was done"),
                               validators=[DataRequired(), Length(min=3, max=2000)])
    photo = FileField(_l("Photo of the fix (optional)"))


class ReopenForm(FlaskForm):
    reason = TextAreaField(_l("Why is it not fixed"),
                           validators=[DataRequired(), Length(min=3, max=1000)])


class RatingForm(FlaskForm):
    rating = RadioField(_l("Your rating"), coerce=int,
                        choices=[(n, str(n)) for n in range(1, 6)],
                        validators=[InputRequired(message=_l("Choose 1 to 5."))])
    comment = TextAreaField(_l("Comment (optional)"), validators=[Optional(), Length(max=1000)])


class LocationForm(FlaskForm):
    building = StringField(_l("Building"), validators=[DataRequired(), Length(max=60)])
    floor = StringField(_l("Floor"), validators=[DataRequired(), Length(max=20)])
    room = StringField(_l("Room"), validators=[DataRequired(), Length(max=60)])


class AssetForm(FlaskForm):
    code = StringField(_l("Asset tag"), validators=[DataRequired(), Length(max=40)])
    name = StringField(_l("Device name"), validators=[DataRequired(), Length(max=100)])
    category = SelectField(_l("Category"), choices=_choices(CATEGORIES))
    location_id = SelectField(_l("Room"), coerce=int, validators=[DataRequired()])


class ImportForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[DataRequired(message=_l("Choose a file."))])


class ShiftForm(FlaskForm):
    user_id = SelectField(_l("Technician"), coerce=int, validators=[DataRequired()])
    starts_at = DateTimeLocalField(_l("From"), validators=[DataRequired()])
    ends_at = DateTimeLocalField(_l("Until"), validators=[DataRequired()])

    def validate_ends_at(self, field):
        if self.starts_at.data and field.data and field.data <= self.starts_at.data:
            from wtforms.validators import ValidationError

            raise ValidationError(_l("The end must be after the start."))


class SettingsForm(FlaskForm):
    auto_confirm_days = IntegerField(_l("Confirm automatically after (days)"),
                                     validators=[InputRequired(), NumberRange(min=1, max=60)])
    remind_before_minutes = IntegerField(_l("Remind the technician before a target (minutes)"),
                                         validators=[InputRequired(), NumberRange(min=5, max=1440)])
    lead_id = SelectField(_l("Facilities lead (gets escalations)"), coerce=int,
                          validators=[Optional()])


class HolidayForm(FlaskForm):
    day = DateField(_l("Day"), validators=[DataRequired()])
    name = StringField(_l("Holiday name"), validators=[Optional(), Length(max=40)])
    workday = BooleanField(_l("A working day (weekend worked in exchange)"))
