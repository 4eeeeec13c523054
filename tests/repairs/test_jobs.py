"""Reminders, escalations and auto-confirmation: sent once per breach, however often run."""

from datetime import timedelta

from sqlalchemy import func, select

from portal.blueprints.notifications.models import Notification
from portal.blueprints.repairs import MODULE, services
from portal.blueprints.repairs.jobs import auto_confirm_repairs, check_repair_targets
from portal.blueprints.repairs.models import OnCallShift, RepairRequest, RepairSettings
from portal.extensions import db
from portal.settings import read_settings
from portal.timeutil import utcnow
from tests.repairs.conftest import local


def _count(user) -> int:
    return db.session.scalar(select(func.count()).select_from(Notification)
                             .where(Notification.user_id == user.id))


def _request(cast, category="aircon", **fields) -> RepairRequest:
    data = {"category": category, "urgency": "normal", "location_id": cast.room.id,
            "description": "坏了很久了"}
    repair = services.submit_request(cast.requester, data, [])
    for key, value in fields.items():
        setattr(repair, key, value)
    db.session.commit()
    return repair


def test_jobs_are_scheduled_through_the_module_entry():
    assert {name.rpartition(".")[2] for name, _ in MODULE.cron} == {
        "check_repair_targets", "auto_confirm_repairs", "check_repair_figures"}


def test_reminder_before_and_escalation_after_are_sent_once(app, cast):
    repair = _request(cast)
    services.accept(repair, cast.tech, cast.tech)
    repair.resolution_due = repair.due_at = utcnow() + timedelta(minutes=20)
    db.session.commit()
    before = _count(cast.tech)
    assert check_repair_targets() == (1, 0)
    assert check_repair_targets() == (0, 0)
    assert _count(cast.tech) == before + 1

    repair.resolution_due = repair.due_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    lead_before = _count(cast.lead)
    assert check_repair_targets() == (0, 1)
    assert check_repair_targets() == (0, 0)
    assert _count(cast.lead) == lead_before + 1
    actions = [e.action for e in db.session.get(RepairRequest, repair.id).events]
    assert actions.count("reminded") == 1 and actions.count("escalated") == 1


def test_reopened_request_with_a_new_target_can_be_escalated_again(app, cast):
    repair = _request(cast, response_due=utcnow() - timedelta(hours=1))
    repair.due_at = repair.response_due
    db.session.commit()
    assert check_repair_targets() == (0, 1)  # response missed
    services.accept(repair, cast.tech, cast.tech)
    repair.resolution_due = repair.due_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    assert check_repair_targets() == (0, 1)  # a different breach: the resolution
    assert check_repair_targets() == (0, 0)


def test_resolved_requests_are_confirmed_after_the_set_days(app, cast):
    old = _request(cast)
    fresh = _request(cast)
    for repair in (old, fresh):
        services.accept(repair, cast.tech, cast.tech)
        services.start(repair, cast.tech)
        services.resolve(repair, cast.tech, "已修好")
    old.resolved_at = utcnow() - timedelta(days=8)
    db.session.commit()
    assert auto_confirm_repairs() == 1
    assert auto_confirm_repairs() == 0
    db.session.expire_all()
    assert db.session.get(RepairRequest, old.id).status == "confirmed"
    assert db.session.get(RepairRequest, fresh.id).status == "resolved"
    assert db.session.get(RepairRequest, old.id).events[-1].actor is None


LAB_AT_THREE = {"category": "lab", "urgency": "urgent", "description": "离心机报警停机"}


def test_lab_request_at_three_in_the_morning_is_assigned_to_the_night_technician(client, auth,
                                                                                 cast):
    night = cast.other_tech
    db.session.add(OnCallShift(user=night, starts_at=local(2026, 11, 30, 20, 0),
                               ends_at=local(2026, 12, 1, 8, 0)))
    db.session.commit()
    repair = services.submit_request(cast.requester, {**LAB_AT_THREE, "location_id": cast.room.id},
                                     [], now=local(2026, 12, 1, 3, 0))
    db.session.commit()
    note = db.session.scalar(select(Notification).where(Notification.user_id == night.id))
    assert repair.number in note.title and "实验室设备" in note.title
    assert repair.response_due == local(2026, 12, 1, 3, 30)
    # Assigned, still waiting for the technician's answer (the response target still counts).
    assert repair.assignee_id == night.id and repair.status == "submitted"
    assert [(e.action, e.note) for e in repair.events] == [("submitted", ""),
                                                            ("rota_assigned", night.name)]
    assert _count(cast.tech) == 0 and _count(cast.lead) == 0
    auth.login(night)
    mine = client.get("/repairs/queue?assignee=me").get_data(as_text=True)
    assert repair.number in mine and "1 个报修单" in mine
    page = client.get(f"/repairs/{repair.id}").get_data(as_text=True)
    assert "由值班表指派" in page and night.name in page


def test_lab_request_at_three_with_no_rota_and_no_lead_reaches_all_of_facilities(app, cast):
    read_settings(RepairSettings).lead_id = None
    db.session.commit()
    repair = services.submit_request(cast.requester, {**LAB_AT_THREE, "location_id": cast.room.id},
                                     [], now=local(2026, 12, 1, 3, 0))
    db.session.commit()
    for person in (cast.tech, cast.other_tech, cast.lead):
        assert _count(person) == 1, person.name
    assert _count(cast.requester) == 0 and repair.assignee_id is None
    event = repair.events[-1]
    assert event.action == "no_one_on_duty"
    assert all(p.name in event.note for p in (cast.tech, cast.other_tech, cast.lead))


def test_lab_request_at_three_with_no_rota_goes_to_the_lead_only(app, cast):
    services.submit_request(cast.requester, {**LAB_AT_THREE, "location_id": cast.room.id},
                            [], now=local(2026, 12, 1, 3, 0))
    db.session.commit()
    assert (_count(cast.lead), _count(cast.tech), _count(cast.other_tech)) == (1, 0, 0)


def test_lab_request_filed_now_notifies_whoever_is_on_duty(client, auth, cast):
    db.session.add(OnCallShift(user=cast.other_tech, starts_at=utcnow() - timedelta(hours=1),
                               ends_at=utcnow() + timedelta(hours=1)))
    db.session.commit()
    auth.login(cast.requester)
    response = client.post("/repairs/new", data={
        "category": "lab", "location_id": cast.room.id, "description": "恒温箱温度失控",
        "urgency": "urgent"}, follow_redirects=True)
    assert response.status_code == 200
    assert _count(cast.other_tech) == 1
    assert "非工作时间" not in response.get_data(as_text=True)  # lab: looked at at once


def test_ordinary_request_out_of_hours_says_when(app, cast):
    data = {"category": "plumbing", "urgency": "normal", "location_id": cast.room.id,
            "description": "水龙头漏水"}
    repair = services.submit_request(cast.requester, data, [], now=local(2026, 11, 28, 22, 0))
    db.session.commit()
    assert repair.response_due == local(2026, 11, 30, 12, 30)
