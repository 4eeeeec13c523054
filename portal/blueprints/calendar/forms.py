"""The office's forms: fill a year from the official schedule, enter or override days."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from portal.blueprints.calendar.models import KINDS
from portal.forms import PortalForm

MAX_DAYS = 31


class FillYearForm(PortalForm):
    year = IntegerField(_l("Year"), validators=[
        DataRequired(), NumberRange(min=2004, max=2100, message=_l("A year from 2004 on."))])


class CompanyDayForm(PortalForm):
    day = DateField(_l("First day"), validators=[DataRequired()])
    last_day = DateField(_l("Last day (optional)"), validators=[Optional()])
    kind = SelectField(_l("What the day is"), choices=list(KINDS.items()),
                       validators=[DataRequired()])
    name = StringField(_l("Name shown"), validators=[Optional(), Length(max=60)])

    def validate_last_day(self, field):
        if self.day.data and field.data:
            if field.data < self.day.data:
                raise ValidationError(_l("The last day cannot be before the first."))
            if (field.data - self.day.data).days >= MAX_DAYS:
                raise ValidationError(_l("At most %(days)d days at a time.", days=MAX_DAYS))
