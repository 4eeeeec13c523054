"""Documents made in jobs: kind -> renderer(document) -> (filename, mimetype, bytes)."""

from urllib.parse import urlencode

from sqlalchemy import select

from portal.blueprints.repairs.models import Asset, Location
from portal.extensions import db
from portal.pdf import qr_svg, render_pdf
from portal.timeutil import local_now

PER_PAGE = 12  # 3 × 4 labels of 70 × 60 mm on A4: big enough to scan from a metre away


def label_url(base_url: str, location_id: int, asset_id: int | None = None) -> str:
    """The request form's address with the room (and device) filled in."""
    query = {"location": location_id, **({"asset": asset_id} if asset_id else {})}
    return f"{base_url.rstrip('/')}/repairs/new?{urlencode(query)}"


def _room_label(base_url: str, place: Location) -> dict:
    return {"kind": "room", "title": place.room, "place": str(place), "code": "",
            "qr": qr_svg(label_url(base_url, place.id))}


def _device_label(base_url: str, asset: Asset) -> dict:
    return {"kind": "device", "title": asset.name, "place": str(asset.location),
            "code": asset.code, "qr": qr_svg(label_url(base_url, asset.location_id, asset.id))}


def _one_label(params: dict) -> list[dict]:
    """The label of one device or one room (a replacement for a torn one), if still in use."""
    if params.get("asset_id"):
        asset = db.session.get(Asset, params["asset_id"])
        if asset is not None and asset.active and asset.location.active:
            return [_device_label(params["base_url"], asset)]
        return []
    place = db.session.get(Location, params["location_id"])
    return [_room_label(params["base_url"], place)] if place is not None and place.active else []


def labels_pdf(document) -> tuple[str, str, bytes]:
    """QR labels: one room or device, or every active room (optionally one building) and each
    device in it."""
    params = document.params
    if params.get("asset_id") or params.get("location_id"):
        return _sheet(_one_label(params))
    query = select(Location).where(Location.active.is_(True)).order_by(
        Location.building, Location.floor, Location.room)
    if params.get("building"):
        query = query.where(Location.building == params["building"])
    places = db.session.scalars(query).all()
    assets = db.session.scalars(select(Asset).where(
        Asset.active.is_(True), Asset.location_id.in_([p.id for p in places])
    ).order_by(Asset.name)).all()
    by_place: dict[int, list[Asset]] = {}
    for asset in assets:
        by_place.setdefault(asset.location_id, []).append(asset)
    labels = []
    for place in places:
        labels.append(_room_label(params["base_url"], place))
        labels.extend(_device_label(params["base_url"], a) for a in by_place.get(place.id, []))
    return _sheet(labels)


def _sheet(labels: list[dict]) -> tuple[str, str, bytes]:
    pages = [labels[i:i + PER_PAGE] for i in range(0, len(labels), PER_PAGE)] or [[]]
    pdf = render_pdf("repairs/pdf/labels.html", pages=pages)
    return f"repair-labels-{local_now():%Y%m%d}.pdf", "application/pdf", pdf


RENDERERS = {"repairs_labels_pdf": labels_pdf}
