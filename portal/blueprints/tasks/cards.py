"""What every task card shares, in the page's language: the states' names and the words around
the due time, made once per language (the catalogues do not change while the app runs), as
portal.i18n.Translated does for a set of labels. A list of cards then looks them up once."""

from typing import NamedTuple

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from portal.blueprints.tasks.models import STATUSES


class CardLabels(NamedTuple):
    statuses: dict[str, str]
    overdue: Markup
    due_before: Markup  # "Due " of "Due %(time)s", in the page's language
    due_after: Markup
    unnamed: Markup  # after a department's name, when no one is named yet


_TEXTS = {"overdue": _l("overdue"), "due": _l("Due %(time)s"),
          "unnamed": _l("(no one named yet)")}
_made: dict[str, CardLabels] = {}


def card_labels() -> CardLabels:
    language = str(get_locale())
    labels = _made.get(language)
    if labels is None:
        # Markup, as a template's _() gives them: the translations are ours.
        texts = {key: Markup(str(text)) for key, text in _TEXTS.items()}
        before, after = texts["due"].split("%(time)s")
        labels = _made[language] = CardLabels(
            {status: str(label) for status, label in STATUSES.items()}, texts["overdue"],
            before, after, texts["unnamed"])
    return labels
