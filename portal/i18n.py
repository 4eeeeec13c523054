"""Languages: the user's setting, then the session's choice, then Accept-Language."""

from collections.abc import Mapping
from functools import cache
from pathlib import Path

from babel import Locale
from flask import current_app, g, has_request_context, request, session
from flask_babel import get_locale, get_translations
from flask_login import current_user

from portal.modules import modules

PORTAL = Path(__file__).parent
# The foundation's catalogues: the offline pages' and outbox's (pwa), then the main one.
FOUNDATION_CATALOGUES = [PORTAL / "blueprints" / "pwa" / "translations", PORTAL / "translations"]


def catalogue_folders() -> list[Path]:
    """Each listed module's catalogue (portal/modules.py), then the foundation's.

    Flask-Babel merges them in this order: a later catalogue wins where two translate the same
    msgid, and the last one sets the plural rule. The foundation's comes last so that shared
    words read the same everywhere and the plural rule is always a complete catalogue's.
    """
    return [module.translations for module in modules() if module.translations] + [
        folder for folder in FOUNDATION_CATALOGUES if folder.is_dir()]


def translation_directories() -> str:
    """Flask-Babel's BABEL_TRANSLATION_DIRECTORIES: the catalogue folders, in merge order."""
    return ";".join(str(folder) for folder in catalogue_folders())


def select_locale() -> Locale:
    return _locale(_select_language())


@cache
def _locale(code: str) -> Locale:
    """One Locale per language, parsed once (Flask-Babel would parse the name every request)."""
    return Locale.parse(code)


def _select_language() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # a job or a command: the default, unless force_locale says
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    user = current_user._get_current_object()
    if user and user.is_authenticated and user.language in languages:
        return user.language
    if session.get("lang") in languages:
        return session["lang"]
    # Werkzeug matches "en-US" to "en" and "zh-TW" to "zh"; anything else gets the default.
    best = request.accept_languages.best_match(["zh-CN", "zh", "en"], default="zh-CN")
    return "en" if best == "en" else "zh_CN"


def select_timezone() -> str:
    return current_app.config["TIMEZONE"]


def N_(message: str) -> str:
    """Mark a msgid for extraction without translating it now (e.g. for notify(), which
    translates into the recipient's language)."""
    return message


def current_locale():
    """Flask-Babel's get_locale() with one context look-up instead of four (a page asks for it
    about fifty times). The locale it chose (or force_locale set) is read where it keeps it."""
    try:
        here = g._get_current_object()
    except RuntimeError:  # no app context
        return None
    babel = here.__dict__.get("_flask_babel")
    locale = getattr(babel, "babel_locale", None)
    return locale if locale is not None else get_locale()


def catalogue():
    """The merged catalogue of the current language, looked up once per request and language.

    Flask-Babel finds it again for every string (its domain, context, locale and the locale's
    name each time: about 13 µs, and a page shows a hundred strings). Keyed by the locale, so
    force_locale (a notification in its recipient's language) still gets its own.
    """
    here = g._get_current_object()
    locale = current_locale()
    kept = here.__dict__.get("portal_catalogues")
    if kept is None:
        kept = here.portal_catalogues = {}
    found = kept.get(locale)
    if found is None:
        found = kept[locale] = get_translations()
    return found


def install_template_gettext(app) -> None:
    """Templates' _(), gettext and ngettext through `catalogue` (as Flask-Babel's, newstyle)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: catalogue().ugettext(s),
        ngettext=lambda s, p, n: catalogue().ungettext(s, p, n),
        pgettext=lambda c, s: catalogue().upgettext(c, s),
        npgettext=lambda c, s, p, n: catalogue().unpgettext(c, s, p, n),
        newstyle=True,
    )


class Translated(Mapping):
    """Labels (lazy strings by key) as texts in the page's language, for templates that show one
    per row: each language's texts are made once, not one gettext per row shown (the catalogues
    do not change while the app runs). Register this, not the dict, as the template global."""

    def __init__(self, labels: Mapping):
        self._labels = labels
        self._texts: dict[str, dict] = {}

    def _current(self) -> dict:
        language = str(current_locale())
        texts = self._texts.get(language)
        if texts is None:
            texts = self._texts[language] = {key: str(label)
                                              for key, label in self._labels.items()}
        return texts

    def __getitem__(self, key):
        return self._current()[key]

    def __iter__(self):
        return iter(self._labels)

    def __len__(self) -> int:
        return len(self._labels)
