"""The settings page: targets facilities edit, the company calendar's days, the shared QR helper."""

import importlib.util
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from portal.blueprints.audit.models import AuditEntry
from portal.blueprints.calendar.models import CompanyDay
from portal.blueprints.repairs.calendars import TARGETS, targets_for
from portal.blueprints.repairs.models import RepairRequest, RepairTarget
from portal.extensions import db
from tests.repairs.conftest import local
from tests.repairs.test_calendars import _file

ROOT = Path(__file__).resolve().parents[2]


def _targets(**changed) -> dict:
    """The whole targets form with today's defaults, in hours, and `changed` fields on top."""
    data = {}
    for kind, urgencies in TARGETS.items():
        for urgency, (response, resolution) in urgencies.items():
            data[f"{kind}_{urgency}_response"] = str(response / 60)
            data[f"{kind}_{urgency}_resolution"] = str(resolution / 60)
    return {**data, **changed}


def test_a_changed_target_applies_to_requests_filed_afterwards(client, auth, cast, time_machine):
    monday = local(2026, 11, 30, 10, 0)
    time_machine.move_to(monday, tick=False)
    auth.login(cast.requester)
    _file(client, category="lab", urgency="urgent",
             location_id=cast.room.id)
    before = db.session.scalar(select(RepairRequest))
    assert before.response_due == monday + timedelta(minutes=30)  # the default

    auth.logout()
    auth.login(cast.tech)
    response = client.post("/repairs/settings/targets", follow_redirects=True, data=_targets(
        lab_urgent_response="0.25", office_normal_response="2", office_normal_resolution="3.5"))
    assert "已保存。新的时限适用于此后提交的报修。" in response.get_data(as_text=True)
    page = client.get("/repairs/settings").get_data(as_text=True)
    assert 'name="lab_urgent_response" required type="text" value="0.25"' in page
    assert "修改只适用于此后提交的报修；已提交的报修保留原有时限。" in page

    auth.logout()
    auth.login(cast.requester)
    _file(client, category="lab", urgency="urgent",
             location_id=cast.room.id)
    _file(client, category="aircon", location_id=cast.room.id)
    lab, office = db.session.scalars(
        select(RepairRequest).where(RepairRequest.id != before.id).order_by(RepairRequest.id))
    assert lab.response_due == monday + timedelta(minutes=15)
    assert (office.response_due, office.resolution_due) == (local(2026, 11, 30, 12, 0),
                                                            local(2026, 11, 30, 13, 30))
    db.session.refresh(before)
    assert before.response_due == monday + timedelta(minutes=30)  # filed before: unchanged

    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "repairs.targets"))
    assert entry.actor_id == cast.tech.id
    assert entry.details["lab_urgent"] == {"before": [30, 240], "after": [15, 240]}
    assert "office_low" not in entry.details  # only what changed


def test_bad_targets_are_refused_beside_each_field_keeping_what_was_typed(client, auth, cast):
    auth.login(cast.tech)
    response = client.post("/repairs/settings/targets", data=_targets(
        office_urgent_response="一小时", office_normal_response="0", lab_low_response="-2",
        lab_normal_resolution="", lab_urgent_response="5", lab_urgent_resolution="2",
        office_low_resolution="999"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="一小时"' in page and "请输入小时数，例如 0.5 或 4。" in page
    assert 'value="-2"' in page and page.count("小时数必须大于 0。") == 2
    assert 'value="999"' in page and "最多 200 小时。" in page
    assert 'id="lab_urgent_resolution-error" data-error>解决时限不能短于响应时限。' in page
    assert 'id="lab_normal_resolution-error" data-error>请输入小时数' in page  # left empty
    assert db.session.scalar(select(RepairTarget)) is None  # nothing saved

    cast.tech.language = "en"
    db.session.commit()
    page = client.post("/repairs/settings/targets", data=_targets(
        lab_urgent_response="5", lab_urgent_resolution="2")).get_data(as_text=True)
    assert "Resolution cannot take less time than the response." in page


def test_only_facilities_may_change_targets(client, auth, cast):
    for person in (cast.requester, cast.head, cast.office):
        auth.login(person)
        assert client.post("/repairs/settings/targets",
                           data=_targets(lab_urgent_response="0.1")).status_code == 403
        auth.logout()
    assert db.session.scalar(select(RepairTarget)) is None


def test_a_missing_target_row_falls_back_to_the_built_in_value(app):
    db.session.add(RepairTarget(channel="lab", urgency="urgent", response_minutes=10,
                                resolution_minutes=60))
    db.session.commit()
    filed = local(2026, 11, 30, 3, 0)
    assert targets_for("lab", "urgent", filed) == (filed + timedelta(minutes=10),
                                                   filed + timedelta(hours=1))
    assert targets_for("lab", "low", filed) == (filed + timedelta(hours=4),
                                                filed + timedelta(hours=72))


def test_the_migration_seeds_the_built_in_targets():
    path = ROOT / "migrations/versions/d1e2f3a4b5c6_repair_targets.py"
    spec = importlib.util.spec_from_file_location("repair_targets_migration", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    assert {(kind, urgency): (response, resolution)
            for kind, urgency, response, resolution in migration.SEED} == {
        (kind, urgency): pair for kind, rows in TARGETS.items() for urgency, pair in rows.items()}


def test_qr_svg_is_a_shared_helper_giving_inline_svg_sized_by_css():
    from portal.blueprints.repairs import documents
    from portal.pdf import qr_svg

    svg = qr_svg("http://portal.example/repairs/new?location=1")
    assert svg.startswith("<svg") and "viewBox=" in svg and "<?xml" not in svg
    assert "width=" not in svg.split(">")[0]  # sized by the stylesheet, not the markup
    assert "portal.example" not in svg  # only paths: the text never reaches the markup
    assert documents.qr_svg is qr_svg


def test_holidays_are_listed_from_last_month_on_in_date_order(client, auth, cast):
    today = date.today()
    db.session.add_all([CompanyDay(day=today - timedelta(days=90), kind="holiday", name="早已过去"),
                        CompanyDay(day=today + timedelta(days=400), kind="holiday", name="明年"),
                        CompanyDay(day=today + timedelta(days=5), kind="day_off", name="快到了")])
    db.session.commit()
    auth.login(cast.tech)
    page = client.get("/repairs/settings").get_data(as_text=True)
    assert "早已过去" not in page
    assert page.index("快到了") < page.index("明年")
