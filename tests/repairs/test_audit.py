"""Facilities' set-up writes record themselves in the audit log: a service called from a job, a
script or a route leaves the same trace."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.blueprints.audit.models import AuditEntry
from portal.blueprints.repairs import services
from portal.blueprints.repairs.calendars import set_targets
from portal.errors import Refused
from portal.extensions import db
from portal.timeutil import utcnow


def _actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_rooms_devices_and_shifts_are_audited_by_the_service_itself(app, cast):
    place = services.save_location(None, " 研发楼 ", "2层", "实验室201")
    services.save_location(place, "研发楼", "2层", "实验室202")
    asset = services.save_asset(None, "PC-1", "电脑", "it", place.id)
    services.save_asset(asset, "PC-1", "台式电脑", "it", place.id)
    services.toggle_location(place)
    services.toggle_asset(asset)
    shift = services.add_shift(cast.tech.id, utcnow(), utcnow() + timedelta(hours=8))
    services.delete_shift(shift)
    set_targets({("office", "urgent"): (20, 120)})
    assert _actions() == ["repairs.location_add", "repairs.location_edit", "repairs.asset_add",
                          "repairs.asset_edit", "repairs.location_active", "repairs.asset_active",
                          "repairs.rota_add", "repairs.rota_delete", "repairs.targets"]
    assert place.room == "实验室202" and not place.active and not asset.active


def test_a_room_or_tag_that_exists_is_refused_and_nothing_is_recorded(app, cast):
    with pytest.raises(Refused, match="已存在|exists"):
        services.save_location(None, cast.room.building, cast.room.floor, cast.room.room)
    with pytest.raises(Refused):
        services.save_asset(None, cast.asset.code, "另一台", "aircon", cast.room.id)
    assert _actions() == []


def test_bulk_assign_records_what_it_gave(app, cast):
    data = {"category": "aircon", "urgency": "normal", "location_id": cast.room.id,
            "description": "空调漏水"}
    repair = services.submit_request(cast.requester, data, [])
    assert services.bulk_assign(cast.lead, [repair.id], cast.tech) == 1
    entry = db.session.scalar(select(AuditEntry))
    assert (entry.action, entry.details["assigned"]) == ("repairs.bulk_assign", 1)
