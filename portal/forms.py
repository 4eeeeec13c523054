"""Form pieces every module's forms.py uses: the base form, a group of checkboxes, a time typed
as HH:MM."""

import re
from functools import cache

from babel.support import Translations
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField
from wtforms.i18n import messages_path
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

HHMM = re.compile(r"([01]\d|2[0-3]):[0-5]\d")


class PortalForm(FlaskForm):
    """Every form of the portal (CSRF-protected, as FlaskForm).

    wtforms' own messages ("Not a valid choice.") come in the page's language from a catalogue
    read once per language and process; Flask-WTF would read it from disk for each request.
    """

    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            return _wtforms_catalogue(str(get_locale() or "zh_CN"))


@cache
def _wtforms_catalogue(locale: str) -> Translations:
    return Translations.load(messages_path(), [locale], domain="wtforms")


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes, each with its own label."""

    widget = ListWidget(html_tag="ul", prefix_label=False)
    option_widget = CheckboxInput()


def hhmm(form, field):
    """A validator: a time of day typed as HH:MM (24 hours)."""
    if not HHMM.fullmatch(field.data or ""):
        raise ValidationError(_l("Use the form HH:MM, for example 17:30."))
