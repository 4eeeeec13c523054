"""Languages: the user's setting, then the session's choice, then Accept-Language."""

from pathlib import Path

from flask import current_app, has_request_context, request, session
from flask_login import current_user


def translation_directories(app) -> str:
    """Each module's catalogue, then the foundation's.

    Flask-Babel merges them in this order: a later catalogue wins where two translate the same
    msgid, and the last one sets the plural rule. The foundation's comes last so that shared
    words read the same everywhere and the plural rule is always a complete catalogue's.
    """
    root = Path(app.root_path)
    dirs = [*sorted(root.glob("blueprints/*/translations")), root / "translations"]
    return ";".join(str(d) for d in dirs if d.is_dir())


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # a job or a command: the default, unless force_locale says
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return current_user.language
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
