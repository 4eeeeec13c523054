"""Office forms for people and departments."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp

from portal.blueprints.accounts.models import LANGUAGE_CHOICES, ROLES
from portal.forms import MultiCheckboxField, PortalForm

EMPLOYEE_NO = Regexp(r"^[A-Za-z0-9_-]{1,20}$", message=_l("Letters, digits, - and _ only."))
PHONE = Regexp(r"^[0-9+\- ]{0,30}$", message=_l("Digits, +, - and spaces only."))


class DepartmentForm(PortalForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)])
    head_id = SelectField(_l("Head"), coerce=int, validators=[Optional()])


class UserForm(PortalForm):
    employee_no = StringField(_l("Employee number"),
                              validators=[DataRequired(), Length(max=20), EMPLOYEE_NO])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=60)])
    department_id = SelectField(_l("Department"), coerce=int)
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=30), PHONE])
    email = StringField(_l("E-mail"), validators=[Optional(), Length(max=120),
                                                  Email(message=_l("Not an e-mail address."))])
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    roles = MultiCheckboxField(_l("Roles"), choices=[(k, v) for k, v in ROLES.items()])
    active = BooleanField(_l("Active"), default=True)


class ImportForm(PortalForm):
    file = FileField(
        _l("CSV or XLSX file"),
        validators=[FileRequired(), FileAllowed(["csv", "xlsx"], _l("Only .csv or .xlsx files."))],
    )
