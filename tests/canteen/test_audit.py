"""The canteen's writes record themselves in the audit log, the dish library included."""

from sqlalchemy import select

from portal.blueprints.audit.models import AuditEntry
from portal.blueprints.canteen import services
from portal.extensions import db


def test_saving_a_library_dish_is_audited_by_the_service(app):
    dish = services.save_dish(None, {"name_zh": "番茄炒蛋", "name_en": "Tomato and egg",
                                     "tags": [], "price": 6.5, "active": True})
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "canteen.dish"))
    assert entry.target == f"canteen_dish:{dish.id}" and entry.details == {"name": "番茄炒蛋"}
