"""Forms of the visitor module. Times are typed in the portal's time zone (Asia/Shanghai).

Visitors are typed one per line ("name, company, mobile, e-mail"), so a group of any size needs
no script; materials likewise ("what, how many"); meals are three optional rows.
"""

import re
from datetime import datetime

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from portal.blueprints.accounts.models import User
from portal.blueprints.visitors.models import ID_TYPES, MEALS
from portal.blueprints.visitors.services import Guest, Meal
from portal.forms import PortalForm
from portal.timeutil import portal_tz, utcnow

MOBILE = re.compile(r"^\+?[0-9 -]{7,20}$")
EMAIL = re.compile(r"^[^@\s,]+@[^@\s,]+\.[^@\s,]+$")


def local(value: datetime) -> datetime:
    return value.replace(tzinfo=portal_tz())


def parse_guests(text: str) -> list[Guest]:
    """One visitor per line: name, company, mobile, e-mail (the last three optional)."""
    guests = []
    for number, line in enumerate(text.splitlines(), start=1):
        parts = [p.strip() for p in re.split(r"[,，;；\t]", line)]
        if not parts or not parts[0]:
            continue
        name, company, mobile, email = (parts + ["", "", ""])[:4]
        if len(name) > 60 or len(company) > 120:
            raise ValidationError(_l("Line %(line)d is too long.", line=number))
        if mobile and not MOBILE.match(mobile):
            raise ValidationError(_l("Line %(line)d: the mobile number is not a phone number.",
                                     line=number))
        if email and not EMAIL.match(email):
            raise ValidationError(_l("Line %(line)d: the e-mail address is not valid.",
                                     line=number))
        guests.append(Guest(name=name, company=company, mobile=mobile.replace(" ", ""),
                            email=email))
    return guests


def parse_materials(text: str) -> list[tuple[str, int]]:
    """One item per line: what, how many (1 when left out)."""
    items = []
    for number, line in enumerate(text.splitlines(), start=1):
        parts = [p.strip() for p in re.split(r"[,，;；\t]", line)]
        if not parts[0]:
            continue
        quantity = parts[1] if len(parts) > 1 and parts[1] else "1"
        if not quantity.isdigit() or not 1 <= int(quantity) <= 10000:
            raise ValidationError(_l("Line %(line)d: say how many as a number.", line=number))
        items.append((parts[0][:120], int(quantity)))
    return items


class MealRow(Form):
    day = DateField(_l("Day of the meal"), validators=[Optional()])
    meal = SelectField(_l("Meal"), choices=[("", "—"), *MEALS.items()], validators=[Optional()])
    headcount = IntegerField(_l("Guests at the meal"), validators=[Optional(),
                                                                   NumberRange(1, 200)])
    diet_notes = StringField(_l("Diet notes"), validators=[Optional(), Length(max=200)])


class VisitForm(PortalForm):
    purpose = StringField(_l("Purpose of the visit"), validators=[
        DataRequired(message=_l("Say what the visit is for.")), Length(max=200)])
    arrives_at = DateTimeLocalField(_l("Arrival"), validators=[
        DataRequired(message=_l("Choose the arrival time."))])
    departs_at = DateTimeLocalField(_l("Expected departure"), validators=[
        DataRequired(message=_l("Choose the expected departure."))])
    guests = TextAreaField(_l("Visitors"), validators=[
        DataRequired(message=_l("Name at least one visitor.")), Length(max=20000)])
    id_type = SelectField(_l("ID type"), choices=[("", "—"), *ID_TYPES.items()],
                          validators=[Optional()])
    reception_id = SelectField(_l("Reception owner"), coerce=int, validate_choice=False)
    room_id = SelectField(_l("Meeting room"), coerce=int, validate_choice=False)
    room_until = DateTimeLocalField(_l("Room booked until"), validators=[Optional()])
    materials = TextAreaField(_l("Materials to prepare"), validators=[Optional(),
                                                                      Length(max=4000)])
    meals = FieldList(FormField(MealRow), min_entries=3, max_entries=3)
    notes = TextAreaField(_l("What visitors should bring"), validators=[Optional(),
                                                                       Length(max=2000)])
    parsed_guests: list = []
    parsed_materials: list = []

    def validate_guests(self, field):
        self.parsed_guests = parse_guests(field.data or "")
        if not self.parsed_guests:
            raise ValidationError(_l("Name at least one visitor."))

    def validate_materials(self, field):
        self.parsed_materials = parse_materials(field.data or "")

    def validate_arrives_at(self, field):
        if field.data and local(field.data) < utcnow():
            raise ValidationError(_l("This time has already passed."))

    def validate_departs_at(self, field):
        if self.arrives_at.data and field.data and field.data <= self.arrives_at.data:
            raise ValidationError(_l("The expected departure must be after the arrival."))

    def validate_reception_id(self, field):
        if field.data not in dict(field.choices):
            raise ValidationError(_l("Choose who receives the visitors."))

    def validate_room_id(self, field):
        if field.data and field.data not in dict(field.choices):
            raise ValidationError(_l("Choose a room."))

    def meal_rows(self) -> list[Meal]:
        return [Meal(day=row.day.data, meal=row.meal.data, headcount=row.headcount.data,
                     diet_notes=row.diet_notes.data or "")
                for row in self.meals if row.day.data and row.meal.data and row.headcount.data]


class MoveForm(PortalForm):
    arrives_at = DateTimeLocalField(_l("Arrival"), validators=[
        DataRequired(message=_l("Choose the arrival time."))])
    departs_at = DateTimeLocalField(_l("Expected departure"), validators=[
        DataRequired(message=_l("Choose the expected departure."))])

    def validate_departs_at(self, field):
        if self.arrives_at.data and field.data and field.data <= self.arrives_at.data:
            raise ValidationError(_l("The expected departure must be after the arrival."))


class WalkInForm(PortalForm):
    name = StringField(_l("Visitor's name"), validators=[
        DataRequired(message=_l("Name at least one visitor.")), Length(max=60)])
    company = StringField(_l("Company"), validators=[Optional(), Length(max=120)])
    mobile = StringField(_l("Mobile"), validators=[Optional(), Length(max=20)])
    host_no = StringField(_l("Host (employee number)"), validators=[
        DataRequired(message=_l("Type the host's employee number.")), Length(max=20)])
    purpose = StringField(_l("Purpose of the visit"), validators=[
        DataRequired(message=_l("Say what the visit is for.")), Length(max=200)])
    host = None

    def validate_host_no(self, field):
        self.host = User.by_employee_no(field.data.strip())
        if self.host is None or not self.host.active:
            raise ValidationError(_l("No active employee has this number."))

    def validate_mobile(self, field):
        if field.data and not MOBILE.match(field.data):
            raise ValidationError(_l("This is not a phone number."))


class CodeForm(PortalForm):
    code = StringField(_l("Visit code"), validators=[
        DataRequired(message=_l("Type or scan the visit code.")), Length(max=12)])


class SettingsForm(PortalForm):
    ask_id_type = BooleanField(_l("Ask for the visitors' ID type"))
    retention_days = IntegerField(_l("Remove visitors' personal data this many days after "
                                     "the departure"), validators=[DataRequired(),
                                                                   NumberRange(1, 365)])
    evening_hour = IntegerField(_l("List visitors still checked in at this hour"),
                                validators=[DataRequired(), NumberRange(15, 23)])
    address = StringField(_l("Address for visitors"), validators=[Optional(), Length(max=200)])
