"""Who may do what in the shuttle module, and what they may see: shared by its view files."""

from portal.blueprints.shuttle.models import Route
from portal.extensions import db

EDITORS = ("facilities",)
VIEWERS = ("facilities", "office")  # the office reads coverage; facilities run the network


def mask_phone(phone: str) -> str:
    """138****5678: enough to recognise a number, not to call it."""
    digits = phone.replace(" ", "")
    return f"{digits[:3]}****{digits[-4:]}" if len(digits) >= 8 else "****"


def sees_phones(user) -> bool:
    return user.has_role(*EDITORS)


def get_route(route_id: int) -> Route:
    return db.get_or_404(Route, route_id)
