"""Issue 11: what a first week of real use tripped over on the request form and page."""

import io
import re
import subprocess

from sqlalchemy import select

from portal.blueprints.documents.models import Document
from portal.blueprints.repairs import services
from portal.blueprints.repairs.models import Location, OnCallShift, RepairRequest
from portal.extensions import db
from tests.repairs.conftest import local

LAB = {"category": "lab", "urgency": "urgent", "description": "离心机报警停机"}


def test_no_category_is_chosen_until_the_person_chooses_one(client, auth, cast):
    auth.login(cast.requester)
    page = client.get("/repairs/new").get_data(as_text=True)
    category = re.search(r'<select[^>]*name="category".*?</select>', page, re.S).group(0)
    assert category.startswith('<select id="category" name="category" required>'
                               '<option value="">— 请选择 —</option>')
    assert "selected" not in category  # the placeholder, first, is what the phone shows
    response = client.post("/repairs/new", data={
        "location_id": cast.room.id, "description": "灯管一闪一闪", "urgency": "normal"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="category-error"' in page and "请选择报修类别。" in page
    assert "灯管一闪一闪" in page  # nothing typed is lost
    assert db.session.scalar(select(RepairRequest)) is None


def test_the_form_says_lab_goes_to_the_technician_on_duty_and_how_fast(client, auth, cast):
    auth.login(cast.requester)
    page = client.get("/repairs/new").get_data(as_text=True)
    assert ("实验室设备报修会立即发给此刻的值班技术员（不分昼夜），"
            "响应时限：紧急 30 分钟，一般 1 小时，不急 4 小时。") in page
    cast.requester.language = "en"
    db.session.commit()
    page = client.get("/repairs/new").get_data(as_text=True)
    assert ("Lab equipment goes at once to the technician on duty now, day or night, who must "
            "respond within: Urgent 30 minutes, Normal 1 hour, Low 4 hours.") in page
    assert "— choose —" in page and "请选择" not in page


def _lab_request_page_at_three(client, auth, cast):
    """A lab request filed at 03:00 on Tuesday 1 December, and its page as the requester sees it."""
    repair = services.submit_request(cast.requester, {**LAB, "location_id": cast.room.id}, [],
                                     now=local(2026, 12, 1, 3, 0))
    db.session.commit()
    auth.login(cast.requester)
    return repair, client.get(f"/repairs/{repair.id}").get_data(as_text=True)


def test_after_a_lab_request_the_requester_reads_who_has_it_and_by_when(client, auth, cast):
    db.session.add(OnCallShift(user=cast.other_tech, starts_at=local(2026, 12, 1, 0, 0),
                               ends_at=local(2026, 12, 1, 8, 0)))
    db.session.commit()
    repair, page = _lab_request_page_at_three(client, auth, cast)
    assert "值班技术员吴勇已接到您的报修并已收到通知，将在 12月1日星期二 03:30 前响应。" in page
    cast.requester.language = "en"
    db.session.commit()
    page = client.get(f"/repairs/{repair.id}").get_data(as_text=True)
    assert ("吴勇, the technician on duty, has your request and has been told: they will "
            "respond by Tuesday, Dec 1 03:30.") in page


def test_a_lab_request_with_nobody_on_duty_says_who_was_told_instead(client, auth, cast):
    _, page = _lab_request_page_at_three(client, auth, cast)
    assert "当时无人值班，已改为通知刘主管，响应时限为 12月1日星期二 03:30。" in page


def test_the_timeline_says_who_assigned_it_to_whom(client, auth, cast):
    repair = services.submit_request(cast.requester, {
        "category": "aircon", "urgency": "normal", "location_id": cast.room.id,
        "description": "空调不制冷"}, [])
    db.session.commit()
    auth.login(cast.tech)
    client.post(f"/repairs/{repair.id}/accept", data={"assignee_id": cast.other_tech.id})
    client.post(f"/repairs/{repair.id}/accept", data={"assignee_id": cast.lead.id})
    page = client.get(f"/repairs/{repair.id}").get_data(as_text=True)
    timeline = page[page.index('class="timeline"'):]
    assert "周志强 指派给 吴勇" in timeline and "周志强 指派给 刘主管" in timeline


def test_a_refused_photo_names_the_file_once_and_says_what_it_is_not(client, auth, cast):
    auth.login(cast.requester)
    response = client.post("/repairs/new", data={
        "category": "aircon", "location_id": cast.room.id, "description": "空调漏水",
        "urgency": "normal", "photos": [(io.BytesIO(b"%PDF-1.4 not a picture"), "报价单.pdf")]},
        content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "报价单.pdf：不是 JPEG、PNG 或 WebP 格式的照片。" in page
    assert "有文件" not in page


def _closed(cast) -> RepairRequest:
    repair = services.submit_request(cast.requester, {
        "category": "lighting", "urgency": "normal", "location_id": cast.room.id,
        "description": "灯不亮"}, [])
    services.accept(repair, cast.tech, cast.tech)
    services.start(repair, cast.tech)
    services.resolve(repair, cast.tech, "换了灯管")
    services.confirm(repair, cast.requester)
    db.session.commit()
    return repair


def test_the_rating_scale_has_words_and_the_comment_is_shown_apart(client, auth, cast):
    repair = _closed(cast)
    auth.login(cast.requester)
    page = client.get(f"/repairs/{repair.id}").get_data(as_text=True)
    for value, word in ((1, "很差"), (2, "较差"), (3, "一般"), (4, "较好"), (5, "很好")):
        assert re.search(rf'<label><input[^>]*name="rating"[^>]*value="{value}"[^>]*> '
                         rf'<span><b>{value}</b> {word}</span></label>', page), value
    response = client.post(f"/repairs/{repair.id}/rate", data={"comment": "很快"})
    assert response.status_code == 422
    assert "请从 1（很差）到 5（很好）中选择评分。" in response.get_data(as_text=True)
    assert "很快" in response.get_data(as_text=True)
    client.post(f"/repairs/{repair.id}/rate", data={"rating": 4, "comment": "很快就修好了"})
    page = client.get(f"/repairs/{repair.id}").get_data(as_text=True)
    assert re.search(r"<dt>评分</dt>\s*<dd>.*4 分（满分 5 分）：较好</dd>", page)
    assert re.search(r'<dt>评价</dt><dd class="prewrap">很快就修好了</dd>', page)


def test_every_room_choice_names_its_building(client, auth, cast):
    for building in ("办公楼A栋", "研发楼"):
        db.session.add(Location(building=building, floor="1层", room="大堂"))
    db.session.commit()
    auth.login(cast.requester)
    page = client.get("/repairs/new").get_data(as_text=True)
    assert ">办公楼A栋 · 1层 · 大堂</option>" in page and ">研发楼 · 1层 · 大堂</option>" in page
    assert ">1层 · 大堂</option>" not in page


def _label_sheet(client, run_jobs, tmp_path, **which) -> str:
    """The text of the label PDF made for `which` (building, location_id or asset_id)."""
    response = client.post("/repairs/places/labels", data=which)
    assert response.status_code == 200
    assert run_jobs() == 1
    document = db.session.scalars(select(Document).order_by(Document.id.desc())).first()
    db.session.refresh(document)
    assert document.status == "done", document.error
    path = tmp_path / "labels.pdf"
    path.write_bytes(document.content)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout


def test_a_room_label_speaks_of_the_room_and_a_device_label_of_the_device(client, auth, cast,
                                                                         run_jobs, tmp_path):
    auth.login(cast.tech)
    text = _label_sheet(client, run_jobs, tmp_path, building="")
    assert text.count("本房间有问题？扫码报修") == 1 and text.count("本设备有故障？扫码报修") == 1
    assert "设备故障？扫码报修" not in text.replace("本设备有故障？扫码报修", "")


def test_a_label_can_be_printed_for_one_room_or_one_device(client, auth, cast, run_jobs,
                                                           tmp_path):
    db.session.add(Location(building="研发楼", floor="2层", room="实验室201"))
    db.session.commit()
    auth.login(cast.tech)
    page = client.get("/repairs/places").get_data(as_text=True)
    assert f'name="location_id" value="{cast.room.id}"' in page
    assert f'name="asset_id" value="{cast.asset.id}"' in page
    room = _label_sheet(client, run_jobs, tmp_path, location_id=cast.room.id)
    assert "301会议室" in room and "本房间有问题？扫码报修" in room
    assert "格力空调" not in room and "实验室201" not in room
    device = _label_sheet(client, run_jobs, tmp_path, asset_id=cast.asset.id)
    assert "格力空调" in device and "AC-301" in device and "本设备有故障？扫码报修" in device
    assert "本房间有问题" not in device
    assert client.post("/repairs/places/labels", data={"location_id": 9999}).status_code == 404
    assert client.post("/repairs/places/labels", data={"asset_id": 9999}).status_code == 404
