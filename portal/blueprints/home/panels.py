"""Home "my day" panels. Each module adds one entry here: who sees it and what it shows.

A panel is (roles, template, context function). `roles` None means everyone. The context
function gets the user and returns the template's variables, or None to hide the panel.
"""

from sqlalchemy import func, select

from portal.blueprints.accounts.models import User
from portal.blueprints.canteen.panels import PANELS as CANTEEN_PANELS
from portal.blueprints.notifications.models import Notification
from portal.blueprints.repairs.panels import PANELS as REPAIRS_PANELS
from portal.blueprints.tasks.panels import PANELS as TASKS_PANELS
from portal.extensions import db


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


PANELS = [
    *CANTEEN_PANELS,
    *TASKS_PANELS,
    *REPAIRS_PANELS,
    (None, "home/_panel_notifications.html", latest_notifications),
    ({"office"}, "home/_panel_office.html", office_people),
]


def panels_for(user) -> list[tuple[str, dict]]:
    shown = []
    for roles, template, context in PANELS:
        if roles is None or user.has_role(*roles):
            values = context(user)
            if values is not None:
                shown.append((template, values))
    return shown
