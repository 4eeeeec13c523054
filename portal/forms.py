"""Form pieces every module's forms.py uses: a group of checkboxes, a time typed as HH:MM."""

import re

from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

HHMM = re.compile(r"([01]\d|2[0-3]):[0-5]\d")


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes, each with its own label."""

    widget = ListWidget(html_tag="ul", prefix_label=False)
    option_widget = CheckboxInput()


def hhmm(form, field):
    """A validator: a time of day typed as HH:MM (24 hours)."""
    if not HHMM.fullmatch(field.data or ""):
        raise ValidationError(_l("Use the form HH:MM, for example 17:30."))
