"""Home "my day" panels: each module's (declared in its package, see portal/modules.py), then the
foundation's.

A panel is (roles, template, context function). `roles` None means everyone. The context
function gets the user and returns the template's variables, or None to hide the panel.
"""

from sqlalchemy import func, select

from portal.blueprints.accounts.models import User
from portal.blueprints.notifications.models import Notification
from portal.extensions import db
from portal.modules import modules


def latest_notifications(user):
    notes = db.session.scalars(
        select(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .order_by(Notification.id.desc())
        .limit(5)
    ).all()
    return {"notes": notes}


def office_people(user):
    active = db.session.scalar(select(func.count()).select_from(User).where(User.active))
    return {"active_users": active}


FOUNDATION_PANELS = [
    (None, "home/_panel_notifications.html", latest_notifications),
    ({"office"}, "home/_panel_office.html", office_people),
]


def panels_for(user) -> list[tuple[str, dict]]:
    shown = []
    panels = [panel for module in modules() for panel in module.panels] + FOUNDATION_PANELS
    for roles, template, context in panels:
        if roles is None or user.has_role(*roles):
            values = context(user)
            if values is not None:
                shown.append((template, values))
    return shown
