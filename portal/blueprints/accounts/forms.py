"""Login, password and profile forms."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from portal.blueprints.accounts.models import LANGUAGE_CHOICES
from portal.blueprints.accounts.passwords import MIN_LENGTH
from portal.forms import PortalForm


class LoginForm(PortalForm):
    employee_no = StringField(_l("Employee number"), validators=[DataRequired(), Length(max=20)],
                              render_kw={"autocomplete": "username", "inputmode": "text"})
    password = PasswordField(_l("Password"), validators=[DataRequired()],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField(_l("Keep me signed in on this device"))


class ChangePasswordForm(PortalForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()],
                            render_kw={"autocomplete": "current-password"})
    new = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(min=MIN_LENGTH, max=128,
                    message=_l("At least %(min)d characters.", min=MIN_LENGTH))],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat new password"),
        validators=[DataRequired(), EqualTo("new", message=_l("The two passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )

    def validate_new(self, field):
        if field.data and field.data == self.current.data:
            raise ValidationError(_l("Choose a password different from the current one."))


class ProfileForm(PortalForm):
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
