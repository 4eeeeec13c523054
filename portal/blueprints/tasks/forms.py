"""Forms of the task module. Due times are typed in the portal's time zone (Asia/Shanghai)."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import DateTimeLocalField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from portal.blueprints.accounts.models import User
from portal.forms import PortalForm
from portal.timeutil import portal_tz, utcnow

OWNER_KINDS = [("person", _l("A person")), ("department", _l("A department"))]


def aware(value):
    """A datetime-local value as an aware time in the portal's zone."""
    return value.replace(tzinfo=portal_tz()) if value else None


def _in_future(form, field):
    if field.data and aware(field.data) <= utcnow():
        raise ValidationError(_l("The due time has already passed."))


class TaskForm(PortalForm):
    title = StringField(_l("Task"), validators=[DataRequired(), Length(max=120)])
    details = TextAreaField(_l("Details"), validators=[Optional(), Length(max=4000)])
    acceptance = TextAreaField(_l("Acceptance criteria"), validators=[
        DataRequired(message=_l("Say how the result will be accepted.")), Length(max=2000)])
    owner_kind = RadioField(_l("Who does it"), choices=OWNER_KINDS, default="person")
    owner_no = StringField(_l("Employee number of the person"),
                           validators=[Optional(), Length(max=20)])
    department_id = SelectField(_l("Department"), coerce=int, validate_choice=False)
    due_at = DateTimeLocalField(_l("Due"), validators=[DataRequired(), _in_future])

    def validate_owner_no(self, field):
        if self.owner_kind.data != "person":
            return
        if not field.data:
            raise ValidationError(_l("Type the employee number of the person."))
        self.owner = User.by_employee_no(field.data)
        if self.owner is None or not self.owner.active:
            raise ValidationError(_l("No active employee has this number."))

    def validate_department_id(self, field):
        if self.owner_kind.data == "department" and field.data not in dict(field.choices):
            raise ValidationError(_l("Choose the department."))


def _note(label):
    return TextAreaField(label, validators=[DataRequired(), Length(max=4000)])


class ProgressForm(PortalForm):
    note = _note(_l("How far is it?"))


class SubmitForm(PortalForm):
    note = _note(_l("What has been done"))
    files = MultipleFileField(_l("Photos or files (optional)"))


class ReturnForm(PortalForm):
    note = _note(_l("What is missing"))


class CancelForm(PortalForm):
    note = TextAreaField(_l("Why it is cancelled"), validators=[
        DataRequired(message=_l("Say why the task is cancelled.")), Length(max=1000)])


# The one-text steps; a prefix each, since they can share one page.
NOTE_FORMS = {"progress": ProgressForm, "submit": SubmitForm, "return": ReturnForm,
              "cancel": CancelForm}


class MoveDueForm(PortalForm):
    due_at = DateTimeLocalField(_l("New due time"), validators=[DataRequired(), _in_future])
    reason = StringField(_l("Why it moves"), validators=[
        DataRequired(message=_l("Say why the due time moves.")), Length(max=300)])


class AssignForm(PortalForm):
    person_id = SelectField(_l("Who does it"), coerce=int, validators=[DataRequired()])
