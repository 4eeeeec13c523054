"""People, rooms and image bytes for the repair tests."""

import io
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from PIL import Image

from portal.blueprints.repairs.models import Asset, Location, RepairSettings
from portal.extensions import db


@dataclass
class Cast:
    requester: object
    head: object
    colleague: object  # same department, not the head: may not see the request
    tech: object
    other_tech: object
    lead: object
    office: object
    room: Location
    asset: Asset


@pytest.fixture
def cast(app, make_user, make_department):
    department = make_department("生产部")
    head = make_user("employee", "dept_head", name="李建华", department=department)
    department.head = head
    requester = make_user("employee", name="王小明", department=department)
    colleague = make_user("employee", name="张三", department=department)
    tech = make_user("employee", "facilities", name="周志强")
    other_tech = make_user("employee", "facilities", name="吴勇")
    lead = make_user("employee", "facilities", name="刘主管")
    office = make_user("employee", "office", name="陈立新")
    room = Location(building="办公楼A栋", floor="3层", room="301会议室")
    asset = Asset(code="AC-301", name="格力空调", category="aircon", location=room)
    db.session.add_all([room, asset])
    db.session.add(RepairSettings(lead_id=lead.id))
    db.session.commit()
    return Cast(requester, head, colleague, tech, other_tech, lead, office, room, asset)


def image_bytes(fmt: str = "JPEG", size=(2400, 1800), exif: bool = False) -> bytes:
    image = Image.new("RGB", size, (200, 120, 40))
    out = io.BytesIO()
    if exif:
        tags = Image.Exif()
        tags[0x010F] = "SecretPhoneMaker"  # Make
        tags[0x0112] = 1
        image.save(out, fmt, exif=tags)
    else:
        image.save(out, fmt)
    return out.getvalue()


def local(*args) -> datetime:
    """A Shanghai wall-clock time as an aware UTC datetime."""
    from zoneinfo import ZoneInfo

    return datetime(*args, tzinfo=ZoneInfo("Asia/Shanghai")).astimezone(UTC)
