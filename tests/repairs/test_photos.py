"""Photos on the request and fix forms: what phones really send, and what must be refused."""

import io
import struct
import zlib

from PIL import Image
from sqlalchemy import select

from portal.blueprints.repairs.models import RepairPhoto, RepairRequest
from portal.extensions import db
from portal.uploads import MAX_PHOTOS, max_bytes
from tests.repairs.conftest import image_bytes

MB = 1024 * 1024


def _file(data: bytes, name: str):
    return (io.BytesIO(data), name)


def _submit(client, cast, **extra):
    data = {"category": "aircon", "location_id": cast.room.id, "description": "空调不制冷",
            "urgency": "normal", **extra}
    return client.post("/repairs/new", data=data, content_type="multipart/form-data")


def _chunk(kind: bytes, body: bytes) -> bytes:
    return (struct.pack(">I", len(body)) + kind + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))


def claimed_png(width: int, height: int) -> bytes:
    """A valid PNG of a few dozen bytes whose header claims width × height pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(b"\0" * 64)) + _chunk(b"IEND", b""))


def mpo_bytes() -> bytes:
    """What Samsung and iPhone cameras write: a JPEG with a second picture (Pillow: "MPO")."""
    first = Image.new("RGB", (1200, 900), (200, 30, 30))
    second = Image.new("RGB", (1200, 900), (30, 30, 200))
    out = io.BytesIO()
    first.save(out, format="MPO", save_all=True, append_images=[second])
    return out.getvalue()


def _requests() -> list[RepairRequest]:
    db.session.expire_all()
    return list(db.session.scalars(select(RepairRequest)))


def test_a_tiny_png_claiming_huge_dimensions_is_refused_beside_the_field(client, auth, cast):
    auth.login(cast.requester)
    for width, height in ((14000, 14000), (7000, 7000)):  # past Pillow's own bomb limit; past ours
        response = _submit(client, cast, description="投影仪不亮了",
                           photos=[_file(claimed_png(width, height), "bomb.png")])
        page = response.get_data(as_text=True)
        assert response.status_code == 422, (width, response.status_code)
        assert "bomb.png：超过 40 百万像素" in page and "投影仪不亮了" in page
        assert 'id="photos-error"' in page
    assert _requests() == []


def test_a_phone_jpeg_with_a_multi_picture_segment_is_accepted_as_its_first_frame(client, auth,
                                                                                   cast):
    data = mpo_bytes()
    assert Image.open(io.BytesIO(data)).format == "MPO"
    auth.login(cast.requester)
    response = _submit(client, cast, photos=[_file(data, "IMG_2041.jpg")])
    assert response.status_code == 303
    photo = db.session.scalar(select(RepairPhoto))
    stored = Image.open(io.BytesIO(photo.content))
    assert stored.format == "JPEG" and (photo.width, photo.height) == (1200, 900)
    red, green, blue = stored.getpixel((600, 450))
    assert red > 150 and blue < 80  # the first frame, not the second


def test_a_three_character_description_is_enough(client, auth, cast):
    auth.login(cast.requester)
    assert _submit(client, cast, category="lighting", description="灯不亮").status_code == 303
    response = _submit(client, cast, description="灯")
    assert response.status_code == 422 and "data-error" in response.get_data(as_text=True)
    assert [r.description for r in _requests()] == ["灯不亮"]


def test_a_refused_form_asks_for_the_photos_again_only_when_some_were_chosen(client, auth, cast):
    auth.login(cast.requester)
    response = _submit(client, cast, description="", photos=[_file(image_bytes(), "a.jpg")])
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "请重新选择照片" in page
    assert 'aria-describedby="photos-hint photos-again"' in page
    page = _submit(client, cast, description="").get_data(as_text=True)
    assert "请重新选择照片" not in page and 'aria-describedby="photos-hint"' in page


def test_a_photo_over_the_limit_is_named_with_the_limit_beside_the_field(client, auth, cast, app):
    app.config["PHOTO_MAX_BYTES"] = 2 * MB
    auth.login(cast.requester)
    big = image_bytes("PNG", size=(300, 300)) + b"\0" * (3 * MB)
    response = _submit(client, cast, description="打印机卡纸",
                       photos=[_file(image_bytes(size=(50, 50)), "ok.jpg"),
                               _file(big, "IMG_0007.png")])
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "IMG_0007.png：大小为 3.0 MB，每张照片最多 2 MB。" in page
    assert "每张不超过 2 MB" in page  # the hint says the limit before anyone tries
    assert 'aria-invalid="true"' in page and "打印机卡纸" in page and "请重新选择照片" in page


def test_three_photos_each_over_the_limit_get_the_field_error_not_the_413_page(client, auth, cast):
    # Needs portal/config.py MAX_CONTENT_LENGTH above MAX_PHOTOS photos of the per-photo limit.
    auth.login(cast.requester)
    over = max_bytes() + MB
    photos = [_file(image_bytes(size=(50, 50)) + b"\0" * over, f"IMG_{i}.jpg")
              for i in range(MAX_PHOTOS)]
    response = _submit(client, cast, description="三张大照片的报修", photos=photos)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "IMG_0.jpg：大小为" in page and "三张大照片的报修" in page
    assert _requests() == []


def test_the_fix_photo_error_is_announced_with_its_field(client, auth, cast):
    from portal.blueprints.repairs import services

    repair = services.submit_request(cast.requester, {
        "category": "aircon", "urgency": "normal", "location_id": cast.room.id,
        "description": "空调坏了"}, [])
    services.accept(repair, cast.tech, cast.tech)
    services.start(repair, cast.tech)
    db.session.commit()
    auth.login(cast.tech)
    response = client.post(f"/repairs/{repair.id}/resolve", content_type="multipart/form-data",
                           data={"resolution": "更换了电容",
                                 "photo": _file(claimed_png(14000, 14000), "fix.png")})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'aria-invalid="true"' in page
    assert 'aria-describedby="photo-hint photo-error photo-again"' in page
    assert 'id="photo-error"' in page and "fix.png：超过 40 百万像素" in page
    assert "更换了电容" in page and "请重新选择照片" in page
    assert _requests()[0].status == "in_progress"
