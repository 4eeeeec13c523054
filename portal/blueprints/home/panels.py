"""Home "my day" panels: each module's (declared in its package, see portal/modules.py), then the
foundation's.

A panel is a `Panel(template, context, roles, facts, params)`. Home keeps those the person's roles
allow, reads all their facts (small scalar values: counts, "is there any", one column of one row)
in one query, then calls each context with its own facts; a context returns the template's
variables, or None to hide the panel. A panel sends a query of its own only for what it lists,
and only when its facts say there is something to list: the page costs one query plus one per
list shown. The statement of the facts is built once per set of shown panels and kept: facts
name the person and the moment through bind parameters (USER_ID, NOW, TODAY, a panel's params).
"""

import threading
from functools import cache

from flask import render_template
from markupsafe import Markup
from sqlalchemy import exists, func, select

from portal import sql
from portal.blueprints.accounts.models import User
from portal.blueprints.notifications.models import Notification
from portal.keys import plain
from portal.modules import NOW, TODAY, USER_ID, Panel, modules
from portal.templating import kept_render
from portal.timeutil import local_today, utcnow

UNREAD = (Notification.user_id == USER_ID, Notification.read_at.is_(None))


def unread_facts() -> dict:
    return {"any": exists().where(*UNREAD)}


@cache
def _latest_unread():
    return (select(Notification.title, Notification.created_at).where(*UNREAD)
            .order_by(Notification.id.desc()).limit(5))


def latest_notifications(user, facts) -> dict:
    notes = sql.rows(_latest_unread(), {USER_ID.key: user.id}) if facts["any"] else []
    return {"notes": notes}


def office_facts() -> dict:
    return {"active": select(func.count()).select_from(User).where(User.active).scalar_subquery()}


def office_people(user, facts) -> dict:
    return {"active_users": facts["active"]}


FOUNDATION_PANELS = [
    Panel("home/_panel_notifications.html", latest_notifications, facts=unread_facts),
    Panel("home/_panel_office.html", office_people, frozenset({"office"}), office_facts),
]

_kept: dict = {}  # shown panels -> (statement, [(panel's index, its fact names)])
_lock = threading.Lock()


def _statement(panels: tuple[Panel, ...]):
    """One SELECT of every panel's facts, labelled p<n>_<name> (None when no panel has any)."""
    wanted = [(n, panel.facts()) for n, panel in enumerate(panels) if panel.facts]
    columns = [expression.label(f"p{n}_{name}")
               for n, facts in wanted for name, expression in facts.items()]
    return (select(*columns) if columns else None), [(n, list(facts)) for n, facts in wanted]


def read_facts(user, panels: list[Panel]) -> list[dict]:
    """Each panel's facts, {name: value}, all read in one query (none when no panel has any)."""
    key = tuple(panels)
    if key not in _kept:
        built = _statement(key)
        with _lock:
            _kept.setdefault(key, built)
    statement, names = _kept[key]
    facts: list[dict] = [{} for _panel in panels]
    if statement is None:
        return facts
    params = {USER_ID.key: user.id, NOW.key: utcnow(), TODAY.key: local_today()}
    for panel in panels:
        if panel.params:
            params.update(panel.params(user))
    row = sql.one(statement, params)  # plain values, on the request's read connection
    for n, keys in names:
        facts[n] = {name: getattr(row, f"p{n}_{name}") for name in keys}
    return facts


def render_panel(template: str, values: dict) -> Markup:
    """A panel's HTML, kept per its values when they are plain data (see portal/modules.py):
    a person reloading home, or many people with the same menu, shuttle or empty list, share
    one render. Values holding anything else are rendered each time."""
    try:
        key = ("panel", template, plain(values))
    except TypeError:
        return Markup(render_template(template, panel=values))
    return kept_render(key, lambda: render_template(template, panel=values))


def panels_for(user) -> list[tuple[str, dict]]:
    """(template, values) of every panel shown to `user`, in list order."""
    panels = [panel for panel in [p for module in modules() for p in module.panels]
              + FOUNDATION_PANELS if panel.roles is None or user.has_role(*panel.roles)]
    shown = []
    for panel, facts in zip(panels, read_facts(user, panels), strict=True):
        values = panel.context(user, facts)
        if values is not None:
            shown.append((panel.template, values))
    return shown
