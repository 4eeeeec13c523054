"""Home "my day" panels: each module's (declared in its package, see portal/modules.py), then the
foundation's.

A panel is a `Panel(template, context, roles, facts)`. Home keeps those the person's roles allow,
reads all their facts (small scalar values: counts, "is there any", one column of one row) in one
query, then calls each context with its own facts; a context returns the template's variables, or
None to hide the panel. A panel sends a query of its own only for what it lists, and only when its
facts say there is something to list: the whole page costs one query plus one per shown list.
"""

from sqlalchemy import exists, func, select

from portal.blueprints.accounts.models import User
from portal.blueprints.notifications.models import Notification
from portal.extensions import db
from portal.modules import Panel, modules


def _unread(user):
    return (Notification.user_id == user.id, Notification.read_at.is_(None))


def unread_facts(user) -> dict:
    return {"any": exists().where(*_unread(user))}


def latest_notifications(user, facts) -> dict:
    notes = db.session.scalars(
        select(Notification).where(*_unread(user)).order_by(Notification.id.desc()).limit(5)
    ).all() if facts["any"] else []
    return {"notes": notes}


def office_facts(user) -> dict:
    return {"active": select(func.count()).select_from(User).where(User.active).scalar_subquery()}


def office_people(user, facts) -> dict:
    return {"active_users": facts["active"]}


FOUNDATION_PANELS = [
    Panel("home/_panel_notifications.html", latest_notifications, facts=unread_facts),
    Panel("home/_panel_office.html", office_people, frozenset({"office"}), office_facts),
]


def read_facts(user, panels: list[Panel]) -> list[dict]:
    """Each panel's facts, {name: value}, all read in one query (none when no panel has any)."""
    wanted = [panel.facts(user) if panel.facts else {} for panel in panels]
    columns = [expression.label(f"p{n}_{name}")
               for n, facts in enumerate(wanted) for name, expression in facts.items()]
    if not columns:
        return wanted
    row = db.session.execute(select(*columns)).one()._mapping
    return [{name: row[f"p{n}_{name}"] for name in facts} for n, facts in enumerate(wanted)]


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
