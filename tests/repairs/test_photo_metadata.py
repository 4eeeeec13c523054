"""Stored photos carry nothing but pixels: no EXIF (GPS), no JPEG comment, no PNG text chunks."""

import io

from PIL import Image, PngImagePlugin
from sqlalchemy import select

from portal.blueprints.repairs.models import RepairPhoto
from portal.extensions import db


def _jpeg_with_gps_and_comment() -> bytes:
    image = Image.new("RGB", (800, 600), (90, 140, 200))
    exif = Image.Exif()
    exif[0x010F] = "SecretPhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (31.0, 14.0, 2.5), 3: "E", 4: (121.0, 28.0, 10.0)}  # GPS IFD
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"home address: Room 1203")
    data = out.getvalue()
    with Image.open(io.BytesIO(data)) as check:  # the upload really carries both
        assert check.getexif().get_ifd(0x8825) and check.info["comment"]
    return data


def _png_with_text() -> bytes:
    image = Image.new("RGB", (640, 480), (20, 160, 60))
    text = PngImagePlugin.PngInfo()
    text.add_text("Author", "Wang Xiaoming")
    text.add_text("comment", "phone of Wang Xiaoming")  # Pillow would write it as a JPEG COM
    text.add_itxt("Comment", "家住 1203 室", lang="zh", tkey="备注")
    text.add_text("Location", "31.2304,121.4737", zip=True)  # zTXt
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=text)
    return out.getvalue()


def _stored_photo(client, auth, cast, data: bytes, name: str) -> bytes:
    auth.login(cast.requester)
    response = client.post("/repairs/new", content_type="multipart/form-data", data={
        "category": "aircon", "location_id": cast.room.id, "description": "空调漏水",
        "urgency": "normal", "photos": [(io.BytesIO(data), name)]})
    assert response.status_code == 303
    return db.session.scalar(select(RepairPhoto)).content


def test_a_jpeg_with_gps_and_a_comment_is_stored_without_either(client, auth, cast):
    stored = _stored_photo(client, auth, cast, _jpeg_with_gps_and_comment(), "gps.jpg")
    assert b"Room 1203" not in stored and b"SecretPhoneMaker" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert "comment" not in image.info and "exif" not in image.info
        assert not image.getexif() and "icc_profile" not in image.info
        assert image.size == (800, 600)


def test_a_png_with_text_chunks_is_stored_without_them(client, auth, cast):
    stored = _stored_photo(client, auth, cast, _png_with_text(), "notes.png")
    assert b"Wang" not in stored and b"1203" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG"
        assert set(image.info) <= {"jfif", "jfif_version", "jfif_unit", "jfif_density", "dpi",
                                   "progressive", "progression"}, image.info
