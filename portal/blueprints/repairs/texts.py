"""Texts a page shows everyone alike, translated once per language and kept.

A texts template holds only `{% set name = _("…") %}` lines (babel extracts them as from any
template); `repair_texts(template)` renders it once per language into a module whose names the
page reads (`t.filter_and_sort`) instead of translating each text again on every request (about
13 µs a text; the queue shows forty). Translations do not change while the app runs, so a kept
module is never stale; a texts template may use nothing but `_()` and the module's labels (no
URL, person, count or form value).
"""

from flask import current_app
from flask_babel import get_locale
from jinja2 import pass_context

from portal.blueprints.repairs.routes import bp


@bp.app_template_global()
@pass_context
def repair_texts(context, template: str):
    """The module of `template`'s texts in the page's language."""
    key = (template, str(get_locale()))
    kept = current_app.extensions.setdefault("repairs_texts", {})
    texts = kept.get(key)
    if texts is None:
        texts = kept[key] = context.environment.get_template(template).make_module()
    return texts
