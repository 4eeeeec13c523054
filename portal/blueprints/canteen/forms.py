"""Canteen forms: the dish library, a day's state, reservations, ratings, preferences."""


from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DecimalField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from portal.blueprints.canteen.models import ALLERGENS, MEALS, TAGS
from portal.forms import MultiCheckboxField, PortalForm, hhmm


class DishForm(PortalForm):
    name_zh = StringField(_l("Chinese name"), validators=[DataRequired(), Length(max=60)])
    name_en = StringField(_l("English name"), validators=[Optional(), Length(max=80)])
    tags = MultiCheckboxField(_l("Tags"), choices=list(TAGS.items()))
    price = DecimalField(_l("Price (yuan)"), places=2,
                         validators=[Optional(), NumberRange(min=0, max=999)],
                         render_kw={"inputmode": "decimal"})
    active = BooleanField(_l("In the library"), default=True)


class AddItemForm(PortalForm):
    dish_id = SelectField(_l("Dish"), coerce=int, validators=[DataRequired()])


class DayForm(PortalForm):
    closed = BooleanField(_l("Canteen closed"))
    holiday = BooleanField(_l("Holiday"))
    note = StringField(_l("Note"), validators=[Optional(), Length(max=80)],
                       render_kw={"placeholder": _l("e.g. National Day")})


class ReserveForm(PortalForm):
    day = HiddenField(validators=[DataRequired()])
    dish_id = RadioField(_l("Tonight's dish"), coerce=int,
                         validators=[DataRequired(message=_l("Choose a dish."))])


class RateForm(PortalForm):
    stars = IntegerField(_l("Stars"), validators=[DataRequired(), NumberRange(min=1, max=5)])


class PreferencesForm(PortalForm):
    allergens = MultiCheckboxField(_l("Hide dishes that contain"), choices=list(ALLERGENS.items()))


class SettingsForm(PortalForm):
    night_cutoff = StringField(_l("Night meal reservations close at"), validators=[hhmm],
                               render_kw={"inputmode": "numeric"})
    deadline_weekday = SelectField(_l("Next week's menu must be published by (day)"), coerce=int,
                                   choices=[(0, _l("Monday")), (1, _l("Tuesday")),
                                            (2, _l("Wednesday")), (3, _l("Thursday")),
                                            (4, _l("Friday")), (5, _l("Saturday")),
                                            (6, _l("Sunday"))])
    deadline_time = StringField(_l("… at (time)"), validators=[hhmm],
                                render_kw={"inputmode": "numeric"})


MEAL_CHOICES = list(MEALS.items())
