"""Rooms and devices (CSV import, QR labels as PDF), settings and rota, monthly figures."""

import io
import subprocess
from datetime import timedelta

from openpyxl import load_workbook
from sqlalchemy import select

from portal.blueprints.documents.models import Document
from portal.blueprints.repairs import services
from portal.blueprints.repairs.models import Asset, Holiday, Location, OnCallShift, RepairSettings
from portal.extensions import db
from portal.timeutil import local_now, utcnow

CSV = """楼栋,楼层,房间,资产编号,设备名称,类别
研发楼,2层,实验室201,LAB-0001,高效液相色谱仪,实验室设备
研发楼,2层,实验室201,LAB-0002,离心机,lab
办公楼B栋,1层,前台,,,
"""


def _upload(client, text: str, encoding="utf-8"):
    return client.post("/repairs/places/import", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(text.encode(encoding)), "rooms.csv")})


def test_csv_import_adds_rooms_and_devices_and_can_be_repeated(client, auth, cast):
    auth.login(cast.tech)
    assert _upload(client, CSV, "gb18030").status_code == 303
    assert _upload(client, CSV).status_code == 303  # same file again: updated, not doubled
    rooms = db.session.scalars(select(Location).order_by(Location.id)).all()
    assert [r.room for r in rooms] == ["301会议室", "实验室201", "前台"]
    lab = db.session.scalar(select(Asset).where(Asset.code == "LAB-0001"))
    assert lab.category == "lab" and lab.location.room == "实验室201"


def test_csv_import_with_a_bad_line_writes_nothing_and_says_which(client, auth, cast):
    auth.login(cast.tech)
    response = _upload(client, CSV + "研发楼,,缺楼层,,,\n")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "第 5 行" in page
    assert db.session.scalar(select(Asset).where(Asset.code == "LAB-0001")) is None


def test_qr_label_sheet_has_chinese_room_names_and_an_embedded_font(client, auth, cast, run_jobs,
                                                                     tmp_path):
    auth.login(cast.tech)
    response = client.post("/repairs/places/labels", data={"building": ""})
    assert response.status_code == 200
    assert run_jobs() == 1
    document = db.session.scalar(select(Document))
    db.session.refresh(document)
    assert document.status == "done", document.error
    path = tmp_path / "labels.pdf"
    path.write_bytes(document.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "301会议室" in text and "格力空调" in text and "扫码报修" in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk and all(" yes " in line for line in cjk)  # embedded


def test_settings_rota_and_holidays_are_kept(client, auth, cast):
    auth.login(cast.tech)
    assert client.post("/repairs/settings", data={
        "auto_confirm_days": "3", "remind_before_minutes": "30",
        "lead_id": cast.other_tech.id}).status_code == 303
    settings = RepairSettings.get()
    assert (settings.auto_confirm_days, settings.lead_id) == (3, cast.other_tech.id)
    assert client.post("/repairs/settings", data={"auto_confirm_days": "0",
                                                  "remind_before_minutes": "30"}).status_code == 422
    assert client.post("/repairs/settings/holidays", data={
        "day": "2027-02-06", "name": "春节"}).status_code == 303
    assert db.session.get(Holiday, __import__("datetime").date(2027, 2, 6)).name == "春节"
    assert client.post("/repairs/rota", data={
        "user_id": cast.tech.id, "starts_at": "2026-12-01T20:00",
        "ends_at": "2026-12-02T08:00"}).status_code == 303
    shift = db.session.scalar(select(OnCallShift))
    assert shift.starts_at.hour == 12  # 20:00 in Shanghai is 12:00 UTC
    assert client.post("/repairs/rota", data={
        "user_id": cast.tech.id, "starts_at": "2026-12-02T08:00",
        "ends_at": "2026-12-01T08:00"}).status_code == 422
    assert "周志强" in client.get("/repairs/rota").get_data(as_text=True)


def test_monthly_figures_with_chart_and_exports(client, auth, cast):
    data = {"category": "aircon", "urgency": "normal", "location_id": cast.room.id,
            "description": "空调不冷"}
    now = utcnow()
    quick = services.submit_request(cast.requester, data, [], now=now - timedelta(hours=3))
    slow = services.submit_request(cast.requester, {**data, "category": "lighting"}, [],
                                   now=now - timedelta(hours=3))
    for repair, taken in ((quick, 1), (slow, 2)):
        services.accept(repair, cast.tech, cast.tech)
        repair.accepted_at = repair.created_at + timedelta(hours=taken)
        services.start(repair, cast.tech)
        services.resolve(repair, cast.tech, "好了")
        services.confirm(repair, cast.requester)
    slow.resolution_due = slow.created_at  # missed
    db.session.commit()
    auth.login(cast.office)
    month = local_now().strftime("%Y-%m")
    page = client.get(f"/repairs/figures?month={month}").get_data(as_text=True)
    assert "<svg" in page and 'class="opened"' in page and "style=" not in page.split("<svg")[1]
    assert "50%" in page  # one of two resolved within target
    response = client.get(f"/repairs/figures.xlsx?month={month}")
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = {row[0]: row for row in sheet.iter_rows(values_only=True)}
    assert rows["空调"][1:3] == (1, 1) and rows["空调"][3] == "1.0"
    assert rows["合计"][1] == 2 and rows["合计"][5] == "50%"
    csv_text = client.get(f"/repairs/figures.csv?month={month}").data.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("类别,新建,已关闭")
    assert client.get("/repairs/figures.pdf").status_code == 404


def test_a_room_taken_out_of_use_is_no_longer_offered(client, auth, cast):
    auth.login(cast.tech)
    assert client.post(f"/repairs/places/{cast.room.id}/active").status_code == 303
    auth.logout()
    auth.login(cast.requester)
    page = client.get("/repairs/new").get_data(as_text=True)
    assert "301会议室" not in page
    assert client.post(f"/repairs/places/{cast.room.id}/active").status_code == 403


def test_facilities_rename_a_room_and_move_a_device_and_the_qr_link_still_works(client, auth,
                                                                                 cast):
    other = Location(building="研发楼", floor="2层", room="实验室201")
    db.session.add(other)
    db.session.commit()
    auth.login(cast.tech)
    response = client.post(f"/repairs/places/{cast.room.id}/edit",
                           data={"building": "办公楼A栋", "floor": "3层", "room": "第一会议室"})
    assert response.status_code == 303
    response = client.post(f"/repairs/assets/{cast.asset.id}/edit", data={
        "code": "AC-301", "name": "格力空调", "category": "aircon", "location_id": other.id})
    assert response.status_code == 303
    assert db.session.get(Asset, cast.asset.id).location_id == other.id
    auth.logout()
    auth.login(cast.requester)
    form = client.get(f"/repairs/new?location={cast.room.id}").get_data(as_text=True)
    assert "第一会议室" in form and "301会议室" not in form


def test_renaming_a_room_to_an_existing_one_keeps_the_input_and_says_why(client, auth, cast):
    other = Location(building="研发楼", floor="2层", room="实验室201")
    db.session.add(other)
    db.session.commit()
    auth.login(cast.tech)
    response = client.post(f"/repairs/places/{cast.room.id}/edit",
                           data={"building": "研发楼", "floor": "2层", "room": "实验室201"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "该房间已存在" in html
    assert 'value="实验室201"' in html
    assert client.get("/repairs/places/9999/edit").status_code == 404
    auth.logout()
    auth.login(cast.requester)
    assert client.get(f"/repairs/places/{cast.room.id}/edit").status_code == 403
