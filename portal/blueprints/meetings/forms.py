"""Forms of the meetings module. Times are typed in the portal's time zone (Asia/Shanghai)."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from portal.blueprints.accounts.models import User
from portal.blueprints.meetings.models import EQUIPMENT
from portal.forms import PortalForm
from portal.timeutil import portal_tz, utcnow


def _people(text: str) -> tuple[list[User], list[str]]:
    """Employee numbers separated by spaces or commas: (the people found, the numbers not)."""
    found, missing = [], []
    for number in text.replace("，", " ").replace(",", " ").split():
        user = User.by_employee_no(number)
        if user is None or not user.active:
            missing.append(number)
        elif user not in found:
            found.append(user)
    return found, missing


class WhenForm(PortalForm):
    room_id = SelectField(_l("Room"), coerce=int, validate_choice=False)
    day = DateField(_l("Date"), validators=[DataRequired(message=_l("Choose the date."))])
    start = TimeField(_l("From"), validators=[DataRequired(message=_l("Choose the start."))])
    end = TimeField(_l("Until"), validators=[DataRequired(message=_l("Choose the end."))])

    def times(self) -> tuple[datetime, datetime]:
        tz = portal_tz()
        return (datetime.combine(self.day.data, self.start.data, tzinfo=tz),
                datetime.combine(self.day.data, self.end.data, tzinfo=tz))

    def validate_room_id(self, field):
        if field.data not in dict(field.choices):
            raise ValidationError(_l("Choose a room."))

    def validate_end(self, field):
        if self.start.data and field.data and field.data <= self.start.data:
            raise ValidationError(_l("The meeting must end after it starts."))

    def validate_day(self, field):
        if self.start.data and field.data and self.times()[0] < utcnow():
            raise ValidationError(_l("This time has already passed."))


class MeetingForm(WhenForm):
    title = StringField(_l("Meeting title"), validators=[
        DataRequired(message=_l("Give the meeting a title.")), Length(max=120)])
    agenda = TextAreaField(_l("Agenda"), validators=[Optional(), Length(max=4000)])
    people = StringField(_l("Attendees (employee numbers)"),
                         validators=[Optional(), Length(max=2000)])
    department_ids = SelectMultipleField(_l("Whole departments"), coerce=int,
                                         validate_choice=False)
    minute_taker = StringField(_l("Minute-taker (employee number)"),
                               validators=[Optional(), Length(max=20)])
    weeks = IntegerField(_l("Number of weeks"), default=1, validators=[
        DataRequired(message=_l("Type how many weeks, 1 for once.")), NumberRange(1, 26)])
    # Filled by the validators below (left as they are when the field is empty).
    people_found: list = []
    minute_taker_user = None

    def validate_people(self, field):
        self.people_found, missing = _people(field.data or "")
        if missing:
            raise ValidationError(_l("No active employee has the number %(numbers)s.",
                                     numbers=", ".join(missing)))

    def validate_minute_taker(self, field):
        self.minute_taker_user = None
        if field.data:
            self.minute_taker_user = User.by_employee_no(field.data.strip())
            if self.minute_taker_user is None or not self.minute_taker_user.active:
                raise ValidationError(_l("No active employee has this number."))


class MinutesForm(PortalForm):
    minutes = TextAreaField(_l("Minutes"), validators=[
        DataRequired(message=_l("Write the minutes first.")), Length(max=20000)])


class ActionForm(PortalForm):
    title = StringField(_l("Action item"), validators=[
        DataRequired(message=_l("Say what is to be done.")), Length(max=120)])
    owner_no = StringField(_l("Owner (employee number)"), validators=[
        DataRequired(message=_l("Type the employee number of the owner.")), Length(max=20)])
    due_at = DateTimeLocalField(_l("Due"), validators=[DataRequired(
        message=_l("Choose the due time."))])
    acceptance = TextAreaField(_l("Acceptance criteria"), validators=[
        DataRequired(message=_l("Say how the result will be accepted.")), Length(max=2000)])

    def validate_owner_no(self, field):
        self.owner = User.by_employee_no(field.data.strip())
        if self.owner is None or not self.owner.active:
            raise ValidationError(_l("No active employee has this number."))

    def validate_due_at(self, field):
        if field.data and field.data.replace(tzinfo=portal_tz()) <= utcnow():
            raise ValidationError(_l("The due time has already passed."))


class FaultForm(PortalForm):
    description = TextAreaField(_l("What is wrong"), validators=[
        DataRequired(message=_l("Say what is wrong.")), Length(max=2000)])


class RoomForm(PortalForm):
    location_id = SelectField(_l("Place"), coerce=int, validate_choice=False)
    capacity = IntegerField(_l("Seats"), validators=[DataRequired(), NumberRange(1, 1000)])
    equipment = SelectMultipleField(_l("Equipment"), choices=list(EQUIPMENT.items()),
                                    validators=[Optional()])
    department_ids = SelectMultipleField(_l("Departments that may book (none: all)"),
                                         coerce=int, validate_choice=False)
    needs_approval = BooleanField(_l("Bookings need the office's approval"))
    active = BooleanField(_l("In use"), default=True)

    def validate_location_id(self, field):
        if field.data not in dict(field.choices):
            raise ValidationError(_l("Choose the place from the list."))


class SettingsForm(PortalForm):
    release_after_minutes = IntegerField(
        _l("Give the room back when nobody checked in this many minutes after the start"),
        validators=[DataRequired(), NumberRange(5, 120)])
