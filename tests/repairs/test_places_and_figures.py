"""Rooms and devices (CSV import, QR labels as PDF), settings and rota, monthly figures."""

import io
import subprocess
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from portal.blueprints.documents.models import Document
from portal.blueprints.repairs import services
from portal.blueprints.repairs.models import Asset, Location, OnCallShift, RepairSettings
from portal.extensions import db
from portal.settings import read_settings
from portal.timeutil import local_now, utcnow
from tests.repairs.conftest import local

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


def test_settings_and_rota_are_kept(client, auth, cast):
    auth.login(cast.tech)
    assert client.post("/repairs/settings", data={
        "auto_confirm_days": "3", "remind_before_minutes": "30",
        "lead_id": cast.other_tech.id}).status_code == 303
    settings = read_settings(RepairSettings)
    assert (settings.auto_confirm_days, settings.lead_id) == (3, cast.other_tech.id)
    assert client.post("/repairs/settings", data={"auto_confirm_days": "0",
                                                  "remind_before_minutes": "30"}).status_code == 422
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


def _pdf_pages(path) -> list[str]:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    count = int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    pages = text.split("\f")[:count]  # pdftotext ends every page with a form feed
    assert len(pages) == count
    return pages


def test_qr_labels_are_printed_twelve_to_an_a4_page(client, auth, cast, run_jobs, tmp_path):
    for n in range(11):  # with the cast's room and its air conditioner: 13 labels
        db.session.add(Location(building="办公楼A栋", floor="4层", room=f"40{n:02d}室"))
    db.session.commit()
    auth.login(cast.tech)
    client.post("/repairs/places/labels", data={"building": ""})
    assert run_jobs() == 1
    document = db.session.scalar(select(Document))
    db.session.refresh(document)
    path = tmp_path / "labels.pdf"
    path.write_bytes(document.content)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert "595.276 x 841.89 pts (A4)" in info
    pages = _pdf_pages(path)
    assert [page.count("扫码报修") for page in pages] == [12, 1]


def test_removing_a_shift_that_does_not_exist_is_404(client, auth, cast):
    auth.login(cast.tech)
    assert client.post("/repairs/rota/9999/delete").status_code == 404


def _closed_request(cast, category: str, response_hours: float, resolution_hours: float):
    """A request filed on 2026-06-10, answered and fixed the given hours after filing."""
    data = {"category": category, "urgency": "normal", "location_id": cast.room.id,
            "description": "统计用"}
    repair = services.submit_request(cast.requester, data, [], now=local(2026, 6, 10, 9, 0))
    services.accept(repair, cast.tech, cast.tech)
    services.start(repair, cast.tech)
    services.resolve(repair, cast.tech, "好了")
    repair.accepted_at = repair.created_at + timedelta(hours=response_hours)
    repair.resolved_at = repair.created_at + timedelta(hours=resolution_hours)
    return repair


def test_monthly_medians_per_category_and_overall_come_from_the_database(app, cast):
    from portal.blueprints.repairs.figures import monthly_figures

    for response, resolution in ((1, 10), (2, 20), (6, 60)):
        _closed_request(cast, "aircon", response, resolution)
    for response, resolution in ((4, 40), (8, 80)):
        _closed_request(cast, "lighting", response, resolution)
    db.session.commit()
    rows, total = monthly_figures(2026, 6)
    by = {row.category: row for row in rows}
    assert by["aircon"].median_response == pytest.approx(120, abs=0.01)  # 2 h, in minutes
    assert by["lighting"].median_response == pytest.approx(360, abs=0.01)  # (4 + 8) / 2 h
    assert by["lighting"].median_resolution == pytest.approx(3600, abs=0.1)
    assert total.median_response == pytest.approx(240, abs=0.01)  # of 1, 2, 4, 6, 8 h
    assert total.median_resolution == pytest.approx(2400, abs=0.1)
    assert (total.opened, total.resolved) == (5, 5) and by["plumbing"].median_response is None


def test_monthly_figures_take_the_same_few_queries_for_5_or_50_requests(app, cast):
    from sqlalchemy import event

    from portal.blueprints.repairs.figures import monthly_figures

    statements = []

    def count(*_args):
        statements.append(1)

    def queries_for(n):
        for i in range(n):
            _closed_request(cast, ["aircon", "lab", "it"][i % 3], 1 + i % 4, 10 + i)
        db.session.commit()
        statements.clear()
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            monthly_figures(2026, 6)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(statements)

    few = queries_for(5)
    assert few <= 6 and queries_for(45) == few


def test_a_month_without_requests_has_no_medians_and_zero_counts(app, cast):
    from portal.blueprints.repairs.figures import monthly_figures

    rows, total = monthly_figures(2020, 1)
    assert (total.opened, total.closed, total.resolved) == (0, 0, 0)
    assert total.median_response is None and total.median_resolution is None
    assert all(row.median_resolution is None for row in rows)
