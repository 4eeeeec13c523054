"""The equipment check: a task for facilities due an hour before, moved with the meeting,
called off on cancel, and a fault turned into a repair request with the organiser told."""

from datetime import timedelta

from sqlalchemy import select

from portal.blueprints.meetings.models import CHECK_SOURCE
from portal.blueprints.notifications.models import Notification
from portal.blueprints.repairs.models import RepairRequest
from portal.blueprints.tasks.models import Task
from portal.extensions import db
from tests.meetings.conftest import book, local, switch
from tests.panel_values import panel_values


def _checks() -> list[Task]:
    return list(db.session.scalars(select(Task).where(Task.source_kind == CHECK_SOURCE)))


def test_booking_a_room_with_equipment_asks_facilities_to_check_it(client, auth, cast):
    meeting = book(cast)
    [task] = _checks()
    assert task.source_id == meeting.id and task.owner_id == cast.technician.id
    assert task.due_at == local("2026-12-08 09:00")
    assert "301会议室" in task.title and "投影仪" in task.details
    auth.login(cast.technician)
    home = client.get("/").get_data(as_text=True)
    assert "会前设备检查" in home and "301会议室" in home  # the facilities' home panel
    assert "301会议室" in client.get("/meetings/checks").get_data(as_text=True)
    assert "301会议室" in client.get(f"/tasks/{task.id}").get_data(as_text=True)


def test_a_room_without_equipment_needs_no_check(app, cast):
    book(cast, room=cast.plain_room)
    assert _checks() == []


def test_without_a_lead_the_check_goes_to_the_facilities_department(app, cast):
    from portal.blueprints.repairs.models import RepairSettings

    db.session.get(RepairSettings, 1).lead_id = None
    db.session.commit()
    book(cast)
    [task] = _checks()
    assert task.owner_id is None and task.department.name == "后勤部"


def test_moving_the_meeting_moves_the_check_and_cancelling_cancels_it(client, auth, cast):
    meeting = book(cast)
    [task] = _checks()
    auth.login(cast.organiser)
    client.post(f"/meetings/{meeting.id}/reschedule", data={
        "room_id": cast.room.id, "day": "2026-12-10", "start": "15:00", "end": "16:00"})
    db.session.expire_all()
    [moved] = _checks()
    assert moved.id == task.id and moved.due_at == local("2026-12-10 14:00")
    assert any(e.action == "due_moved" for e in moved.events)
    client.post(f"/meetings/{meeting.id}/cancel")
    db.session.expire_all()
    [cancelled] = _checks()
    assert cancelled.id == task.id and cancelled.status == "cancelled"
    assert any(e.action == "cancelled" and "无需再做设备检查" in e.note for e in cancelled.events)
    told = db.session.scalars(select(Notification.title).where(
        Notification.user_id == cast.technician.id)).all()
    assert sum("已取消" in t and task.number in t for t in told) == 1  # told once, by tasks
    switch(auth, cast.technician)
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "无需再做设备检查" in page  # the reason, on the task's timeline
    assert "301会议室" not in client.get("/meetings/checks").get_data(as_text=True)


def test_moving_to_a_room_without_equipment_calls_the_check_off(client, auth, cast):
    meeting = book(cast)
    auth.login(cast.organiser)
    client.post(f"/meetings/{meeting.id}/reschedule", data={
        "room_id": cast.plain_room.id, "day": "2026-12-08", "start": "10:00", "end": "11:00"})
    [task] = _checks()
    assert task.status == "cancelled"
    assert any("无需再做此次设备检查" in e.note for e in task.events)
    switch(auth, cast.technician)
    assert "301会议室" not in client.get("/meetings/checks").get_data(as_text=True)


def test_a_fault_found_becomes_a_repair_request_and_the_organiser_is_told(client, auth, cast,
                                                                         at):
    meeting = book(cast)
    at("2026-12-08 08:50")
    auth.login(cast.technician)
    response = client.post(f"/meetings/checks/{meeting.id}/fault", data={"description": ""})
    assert response.status_code == 422 and "data-error" in response.get_data(as_text=True)
    response = client.post(f"/meetings/checks/{meeting.id}/fault",
                           data={"description": "投影仪无信号"}, follow_redirects=True)
    assert response.status_code == 200
    repair = db.session.scalar(select(RepairRequest))
    assert repair.location_id == cast.room.location_id and repair.description == "投影仪无信号"
    assert repair.urgency == "urgent" and repair.requester_id == cast.technician.id
    assert repair.number in response.get_data(as_text=True)
    told = db.session.scalars(select(Notification).where(
        Notification.user_id == cast.organiser.id)).all()
    assert any("301会议室" in n.title and repair.number in n.body for n in told)
    [task] = _checks()
    assert any(repair.number in e.note for e in task.events)  # on the check's timeline
    switch(auth, cast.organiser)
    assert repair.number in client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert client.post(f"/meetings/checks/{meeting.id}/fault",
                       data={"description": "x"}).status_code == 403


def test_the_check_is_due_an_hour_before_even_for_a_weekly_series(app, cast):
    book(cast, weeks=3)
    dues = sorted(t.due_at for t in _checks())
    assert dues == [local("2026-12-08 09:00") + timedelta(weeks=n) for n in range(3)]


def test_a_check_already_done_stays_and_a_moved_meeting_gets_a_new_one(client, auth, cast):
    from portal.blueprints.tasks import services as tasks

    meeting = book(cast)
    [task] = _checks()
    tasks.submit(task, cast.technician, "设备正常")
    tasks.accept(task, cast.organiser)
    db.session.commit()
    auth.login(cast.organiser)
    client.post(f"/meetings/{meeting.id}/reschedule", data={
        "room_id": cast.room.id, "day": "2026-12-10", "start": "15:00", "end": "16:00"})
    checks = sorted(_checks(), key=lambda t: t.id)
    assert [t.status for t in checks] == ["accepted", "open"]
    assert checks[1].due_at == local("2026-12-10 14:00")
    client.post(f"/meetings/{meeting.id}/cancel")
    assert [t.status for t in sorted(_checks(), key=lambda t: t.id)] == ["accepted", "cancelled"]


def test_the_task_page_links_back_to_the_meeting_for_those_who_may_know_of_it(
        client, auth, cast, make_user):
    meeting = book(cast)
    [task] = _checks()
    auth.login(cast.organiser)
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert f'href="/meetings/{meeting.id}"' in page and meeting.title in page
    switch(auth, cast.technician)  # checks the room, does not take part: the checks list
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert 'href="/meetings/checks"' in page and f'href="/meetings/{meeting.id}"' not in page


def test_the_home_panels_hold_plain_values(app, cast):
    meeting = book(cast)
    [task] = _checks()
    checks = panel_values(app, cast.technician, "meetings/_panel_checks.html")
    assert checks == {"rows": [(task.id, "301会议室", local("2026-12-08 09:00"))]}
    mine = panel_values(app, cast.organiser, "meetings/_panel_mine.html")
    assert mine == {"rows": [(meeting.id, meeting.title, meeting.starts_at, "301会议室")]}
