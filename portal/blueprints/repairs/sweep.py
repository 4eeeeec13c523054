"""A real object for each path argument of the repair pages, for the test suite's URL sweeps
(Module.url_arguments): a room with a device, and a request filed there with a photo."""

import io

from PIL import Image

from portal.blueprints.repairs import services
from portal.blueprints.repairs.models import Asset, Location
from portal.extensions import db


def url_arguments(make_user, make_department) -> dict:
    room = Location(building="办公楼A栋", floor="3层", room="301会议室")
    device = Asset(code="AC-301", name="格力空调", category="aircon", location=room)
    db.session.add_all([room, device])
    db.session.flush()
    photo = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 120, 40)).save(photo, "JPEG")
    request = services.submit_request(
        make_user("employee"), {"category": "aircon", "urgency": "normal",
                                "location_id": room.id, "asset_id": device.id,
                                "description": "空调不制冷"}, [(photo.getvalue(), 4, 3)])
    db.session.commit()
    return {"location_id": room.id, "asset_id": device.id, "request_id": request.id,
            "photo_id": request.photos[0].id, "fmt": "csv"}
