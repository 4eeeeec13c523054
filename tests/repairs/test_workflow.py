"""The whole life of a request through the test client, and everyone who may not touch it."""

import io

from sqlalchemy import select

from portal.blueprints.notifications.models import Notification
from portal.blueprints.repairs.models import RepairRequest
from portal.extensions import db
from tests.repairs.conftest import image_bytes


def _file(data: bytes, name: str):
    return (io.BytesIO(data), name)


def _submit(client, cast, **extra):
    data = {"category": "aircon", "location_id": cast.room.id, "asset_id": cast.asset.id,
            "description": "空调不制冷，出风是热的", "urgency": "normal", **extra}
    return client.post("/repairs/new", data=data, content_type="multipart/form-data")


def _titles(user) -> list[str]:
    return list(db.session.scalars(select(Notification.title)
                                   .where(Notification.user_id == user.id)))


def _status(repair_id: int) -> str:
    db.session.expire_all()
    return db.session.get(RepairRequest, repair_id).status


def test_qr_link_prefills_room_and_device_after_login(client, auth, cast):
    url = f"/repairs/new?location={cast.room.id}&asset={cast.asset.id}"
    response = client.get(url)
    assert response.status_code == 302 and "next=" in response.headers["Location"]
    response = client.post(response.headers["Location"], data={
        "employee_no": cast.requester.employee_no, "password": "correct-horse-9"})
    assert response.headers["Location"] == url
    page = client.get(url).get_data(as_text=True)
    assert f'<option value="{cast.room.id}" selected>' in page
    assert f'<option selected value="{cast.asset.id}">' in page or \
        f'value="{cast.asset.id}" selected' in page


def test_full_life_of_a_request_with_every_step_on_the_timeline(client, auth, cast):
    auth.login(cast.requester)
    response = _submit(client, cast, photos=[_file(image_bytes(exif=True), "a.jpg")])
    assert response.status_code == 303
    repair = db.session.scalar(select(RepairRequest))
    assert repair.number.startswith("BX-") and len(repair.number) == len("BX-2026-000001")
    assert repair.number.endswith("000001")
    assert len(repair.photos) == 1 and b"SecretPhoneMaker" not in repair.photos[0].content
    assert max(repair.photos[0].width, repair.photos[0].height) <= 1600

    auth.logout()
    auth.login(cast.tech)
    assert client.post(f"/repairs/{repair.id}/accept",
                       data={"assignee_id": cast.tech.id}).status_code == 303
    assert _status(repair.id) == "accepted"
    assert client.post(f"/repairs/{repair.id}/start").status_code == 303
    assert _status(repair.id) == "in_progress"
    response = client.post(f"/repairs/{repair.id}/resolve",
                           data={"resolution": "补充了制冷剂",
                                 "photo": _file(image_bytes("PNG"), "fix.png")},
                           content_type="multipart/form-data")
    assert response.status_code == 303
    assert _status(repair.id) == "resolved"

    auth.logout()
    auth.login(cast.requester)
    assert client.post(f"/repairs/{repair.id}/reopen", data={"reason": "又坏了"}).status_code == 303
    assert _status(repair.id) == "reopened"
    auth.logout()
    auth.login(cast.tech)
    client.post(f"/repairs/{repair.id}/start")
    client.post(f"/repairs/{repair.id}/resolve", data={"resolution": "更换了压缩机"})
    auth.logout()
    auth.login(cast.requester)
    assert client.post(f"/repairs/{repair.id}/confirm").status_code == 303
    assert _status(repair.id) == "confirmed"
    assert client.post(f"/repairs/{repair.id}/rate",
                       data={"rating": "5", "comment": "很快"}).status_code == 303
    assert client.post(f"/repairs/{repair.id}/rate", data={"rating": "1"}).status_code == 303

    repair = db.session.get(RepairRequest, repair.id)
    assert repair.rating == 5  # the second rating was refused
    actions = [e.action for e in repair.events]
    assert actions == ["submitted", "accepted", "started", "resolved", "reopened", "started",
                       "resolved", "confirmed", "rated"]
    page = client.get(f"/repairs/{repair.id}").get_data(as_text=True)
    assert "更换了压缩机" in page and "周志强" in page and "已确认" in page
    titles = _titles(cast.requester)
    assert len(titles) == 5 and all(repair.number in t for t in titles)
    assert any(repair.number in t for t in _titles(cast.tech))  # reopened, confirmed


def test_only_requester_head_facilities_and_office_see_a_request(client, auth, cast):
    auth.login(cast.requester)
    _submit(client, cast, photos=[_file(image_bytes(), "a.jpg")])
    repair = db.session.scalar(select(RepairRequest))
    photo_id = repair.photos[0].id
    for person, status in [(cast.requester, 200), (cast.head, 200), (cast.tech, 200),
                           (cast.office, 200), (cast.colleague, 404)]:
        auth.logout()
        auth.login(person)
        assert client.get(f"/repairs/{repair.id}").status_code == status, person.name
        photo = client.get(f"/repairs/photos/{photo_id}")
        assert photo.status_code == status
        if status == 200:
            assert photo.mimetype == "image/jpeg" and photo.data[:2] == b"\xff\xd8"
    auth.logout()
    assert client.get(f"/repairs/photos/{photo_id}").status_code == 302  # login first


def test_wrong_roles_and_wrong_people_cannot_move_a_request(client, auth, cast):
    auth.login(cast.requester)
    _submit(client, cast)
    repair = db.session.scalar(select(RepairRequest))
    rid = repair.id
    # An employee may not accept, start or resolve, even their own request.
    for step in ("accept", "start", "resolve"):
        assert client.post(f"/repairs/{rid}/{step}", data={"assignee_id": cast.requester.id,
                                                           "resolution": "x"}).status_code == 403
    # Someone who may not see it gets 404 even for requester steps.
    auth.logout()
    auth.login(cast.colleague)
    for step in ("confirm", "reopen", "rate"):
        assert client.post(f"/repairs/{rid}/{step}").status_code == 404
    # Office and the department head see it but are not facilities.
    for person in (cast.office, cast.head):
        auth.logout()
        auth.login(person)
        assert client.post(f"/repairs/{rid}/accept",
                           data={"assignee_id": cast.tech.id}).status_code == 403
    auth.logout()
    auth.login(cast.tech)
    client.post(f"/repairs/{rid}/accept", data={"assignee_id": cast.tech.id})
    # Another technician may not start or resolve someone else's job; the lead may.
    auth.logout()
    auth.login(cast.other_tech)
    assert client.post(f"/repairs/{rid}/start").status_code == 403
    auth.logout()
    auth.login(cast.lead)
    assert client.post(f"/repairs/{rid}/start").status_code == 303
    assert _status(rid) == "in_progress"
    # Facilities may not confirm for the requester.
    client.post(f"/repairs/{rid}/resolve", data={"resolution": "修好了"})
    assert client.post(f"/repairs/{rid}/confirm").status_code == 403
    assert client.post(f"/repairs/{rid}/reopen", data={"reason": "不行"}).status_code == 403
    assert _status(rid) == "resolved"
    # A step in the wrong state changes nothing (a double tap).
    assert client.post(f"/repairs/{rid}/start").status_code == 303
    assert _status(rid) == "resolved"


def test_bad_photos_are_refused_and_everything_typed_is_kept(client, auth, cast, app):
    auth.login(cast.requester)
    fake = _file(b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF", "photo.jpg")
    response = _submit(client, cast, description="打印机卡纸了很多次", photos=[fake])
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "打印机卡纸了很多次" in page and "data-error" in page and "JPEG" in page
    app.config["PHOTO_MAX_BYTES"] = 50_000
    big = _file(image_bytes("PNG", size=(1200, 1200)) + b"\0" * 60_000, "big.png")
    response = _submit(client, cast, photos=[big])
    assert response.status_code == 422 and "MB" in response.get_data(as_text=True)
    four = [_file(image_bytes(size=(10, 10)), f"{i}.jpg") for i in range(4)]
    assert _submit(client, cast, photos=four).status_code == 422
    assert db.session.scalar(select(RepairRequest)) is None


def test_missing_fields_and_a_device_from_another_room_are_refused(client, auth, cast):
    auth.login(cast.requester)
    response = client.post("/repairs/new", data={
        "category": "aircon", "location_id": "", "description": "坏了坏了坏了",
        "urgency": "normal"})
    assert response.status_code == 422 and "坏了坏了坏了" in response.get_data(as_text=True)
    from portal.blueprints.repairs.models import Location

    elsewhere = Location(building="仓库", floor="1层", room="101")
    db.session.add(elsewhere)
    db.session.commit()
    response = _submit(client, cast, location_id=elsewhere.id)
    assert response.status_code == 422
    assert db.session.scalar(select(RepairRequest)) is None


def test_outbox_replay_files_the_request_once(client, auth, cast):
    auth.login(cast.requester)
    headers = {"X-Outbox-Id": "3f2b8c1e-1111-4a2b-9c3d-123456789abc"}
    first = client.post("/repairs/new", headers=headers, data={
        "category": "lighting", "location_id": cast.room.id, "description": "灯管闪烁不停",
        "urgency": "low"})
    second = client.post("/repairs/new", headers=headers, data={
        "category": "lighting", "location_id": cast.room.id, "description": "灯管闪烁不停",
        "urgency": "low"})
    assert first.status_code == second.status_code == 303
    assert second.headers["X-Outbox-Replayed"] == "1"
    assert len(db.session.scalars(select(RepairRequest)).all()) == 1
