"""Rooms and devices from a CSV file: every row checked first, nothing written unless all pass.

Columns (header row, Chinese or English): building/楼栋, floor/楼层, room/房间, and optionally
asset_code/资产编号, asset_name/设备名称, category/类别 (a category key such as `lab` or its
Chinese name). A row without an asset only adds the room. Existing rooms and asset codes are
reused and updated, so the same file can be imported twice.
"""

from dataclasses import dataclass, field

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from portal.blueprints.repairs.models import CATEGORIES, Asset, Location
from portal.extensions import db
from portal.tabular import read_table

COLUMNS = {
    "building": "building", "楼栋": "building",
    "floor": "floor", "楼层": "floor",
    "room": "room", "房间": "room",
    "asset_code": "asset_code", "资产编号": "asset_code",
    "asset_name": "asset_name", "设备名称": "asset_name",
    "category": "category", "类别": "category",
}


@dataclass
class ImportReport:
    rows: list[dict] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)  # (line, why)
    rooms_created: int = 0
    assets_saved: int = 0


def _category_key(value: str) -> str | None:
    if not value:
        return "other"
    if value in CATEGORIES:
        return value
    with force_locale("zh_CN"):
        by_name = {str(label): key for key, label in CATEGORIES.items()}
    return by_name.get(value)


def read_csv(data: bytes) -> list[dict]:
    """Rows keyed by our column names; ValueError if the file cannot be read."""
    return read_table("rooms.csv", data, COLUMNS, {"building", "floor", "room"},
                      _("The first row must name the columns building, floor and room."))


def check_rows(rows: list[dict]) -> ImportReport:
    """Validate every row; nothing is written."""
    report = ImportReport()
    codes: set[str] = set()
    for line, row in enumerate(rows, start=2):
        category = _category_key(row.get("category", ""))
        problem = None
        if not all(row.get(k) for k in ("building", "floor", "room")):
            problem = _("Building, floor and room are all needed.")
        elif len(row["building"]) > 60 or len(row["floor"]) > 20 or len(row["room"]) > 60:
            problem = _("A place name is too long.")
        elif row.get("asset_code") and not row.get("asset_name"):
            problem = _("An asset code needs an asset name.")
        elif row.get("asset_code") in codes:
            problem = _("Asset code appears twice in the file.")
        elif category is None:
            problem = _("Unknown category: %(name)s", name=row.get("category"))
        if row.get("asset_code"):
            codes.add(row["asset_code"])
        if problem:
            report.refused.append((line, problem))
        else:
            report.rows.append({**row, "category": category})
    return report


def apply_rows(report: ImportReport) -> None:
    """Write the checked rows (only when none was refused). The caller commits."""
    places = {(p.building, p.floor, p.room): p for p in db.session.scalars(select(Location))}
    assets = {a.code: a for a in db.session.scalars(select(Asset))}
    for row in report.rows:
        key = (row["building"], row["floor"], row["room"])
        place = places.get(key)
        if place is None:
            place = places[key] = Location(building=key[0], floor=key[1], room=key[2])
            db.session.add(place)
            report.rooms_created += 1
        if row.get("asset_code"):
            asset = assets.get(row["asset_code"])
            if asset is None:
                asset = assets[row["asset_code"]] = Asset(code=row["asset_code"])
                db.session.add(asset)
            asset.name, asset.category, asset.location = (row["asset_name"], row["category"],
                                                          place)
            report.assets_saved += 1
