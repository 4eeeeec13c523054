"""A meeting's life through the test client: answers, need-to-know, moving, cancelling, minutes
whose action items become tasks, and the meeting's PDF."""

import re
import subprocess

from sqlalchemy import select

from portal.blueprints.documents.models import Document
from portal.blueprints.meetings.models import ACTION_SOURCE, Meeting
from portal.blueprints.notifications.models import Notification
from portal.blueprints.tasks.models import Task
from portal.extensions import db
from tests.meetings.conftest import book, switch

HTMX = {"HX-Request": "true"}


def _titles(user) -> list[str]:
    return list(db.session.scalars(select(Notification.title).where(
        Notification.user_id == user.id).order_by(Notification.id)))


def test_attendees_answer_and_only_the_organiser_sees_who(client, auth, cast, make_user):
    other = make_user("employee", name="赵六")
    meeting = book(cast, people=[cast.attendee, other])
    auth.login(cast.attendee)
    assert client.post(f"/meetings/{meeting.id}/respond",
                       data={"answer": "accepted"}).status_code == 303
    switch(auth, other)
    client.post(f"/meetings/{meeting.id}/respond", data={"answer": "declined"})
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "你的答复：" in page and "不参加" in page
    assert "王小明 · " not in page  # others' answers are the organiser's to see
    switch(auth, cast.organiser)
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert re.search(r"王小明 · <span class=\"tag ok\">", page)
    assert re.search(r"赵六 · <span class=\"tag bad\">", page)


def test_need_to_know_outsiders_get_404_and_wrong_roles_403(client, auth, cast):
    meeting = book(cast)
    auth.login(cast.outsider)
    for url in (f"/meetings/{meeting.id}", f"/meetings/{meeting.id}/invite.ics"):
        assert client.get(url).status_code == 404
    for step in ("respond", "cancel", "reschedule", "minutes", "actions", "pdf", "check-in"):
        assert client.post(f"/meetings/{meeting.id}/{step}").status_code == 404
    assert client.get("/meetings/manage").status_code == 403
    assert client.get("/meetings/checks").status_code == 403
    assert client.post(f"/meetings/{meeting.id}/approve").status_code == 403
    switch(auth, cast.attendee)  # invited, but not the organiser
    assert client.get(f"/meetings/{meeting.id}").status_code == 200
    assert client.post(f"/meetings/{meeting.id}/cancel").status_code == 403
    assert client.post(f"/meetings/{meeting.id}/minutes").status_code == 403
    switch(auth, cast.office)  # the office sees everything
    assert client.get(f"/meetings/{meeting.id}").status_code == 200
    assert client.post(f"/meetings/{meeting.id}/cancel").status_code == 303
    assert db.session.get(Meeting, meeting.id).cancelled


def test_moving_tells_everyone_and_cancelling_frees_the_room(client, auth, cast):
    meeting = book(cast, minute_taker=cast.member)
    auth.login(cast.organiser)
    response = client.post(f"/meetings/{meeting.id}/reschedule", data={
        "room_id": cast.plain_room.id, "day": "2026-12-09", "start": "14:00", "end": "15:30"})
    assert response.status_code == 303
    for person in (cast.attendee, cast.member):
        assert any("改期" in t or "moved" in t for t in _titles(person)), _titles(person)
    assert client.post(f"/meetings/{meeting.id}/cancel").status_code == 303
    db.session.refresh(meeting)
    assert meeting.cancelled and not meeting.room_held
    assert any("取消" in t or "cancelled" in t for t in _titles(cast.attendee))
    page = client.get("/meetings/").get_data(as_text=True)
    assert "项目周例会" not in page  # gone from "my meetings"


def test_my_meetings_are_mine_alone_and_show_a_move_at_once(client, auth, cast):
    """The page's content is kept per its rows: whose they are, each meeting's time, room and
    status, read afresh on every request."""
    meeting = book(cast)
    auth.login(cast.attendee)
    assert "项目周例会" in client.get("/meetings/").get_data(as_text=True)
    switch(auth, cast.outsider)
    assert "项目周例会" not in client.get("/meetings/").get_data(as_text=True)
    switch(auth, cast.organiser)
    page = client.get("/meetings/").get_data(as_text=True)
    assert "–11:00 · 301会议室" in page
    assert client.post(f"/meetings/{meeting.id}/reschedule", data={
        "room_id": cast.plain_room.id, "day": "2026-12-09", "start": "14:00",
        "end": "15:30"}).status_code == 303
    page = client.get("/meetings/").get_data(as_text=True)
    assert "–15:30 · 205小会议室" in page and "301会议室" not in page


def test_moving_onto_a_taken_slot_is_refused_beside_the_room(client, auth, cast):
    book(cast, title="占用", start="2026-12-09 14:00", end="2026-12-09 15:00")
    meeting = book(cast)
    auth.login(cast.organiser)
    response = client.post(f"/meetings/{meeting.id}/reschedule", data={
        "room_id": cast.room.id, "day": "2026-12-09", "start": "14:30", "end": "15:30"})
    assert response.status_code == 409
    assert "data-error" in response.get_data(as_text=True)
    db.session.refresh(meeting)
    assert meeting.starts_at.day == 8 and meeting.sequence == 0


def test_minutes_reach_the_attendees_and_action_items_become_tasks(client, auth, cast, at):
    meeting = book(cast, minute_taker=cast.member)
    at("2026-12-08 11:05")
    auth.login(cast.member)  # the minute-taker
    response = client.post(f"/meetings/{meeting.id}/minutes",
                           data={"minutes": "一、进度正常。\n二、下周演示。"})
    assert response.status_code == 303
    assert any("纪要" in t or "Minutes" in t for t in _titles(cast.attendee))
    response = client.post(f"/meetings/{meeting.id}/actions", data={
        "title": "准备演示环境", "owner_no": cast.attendee.employee_no,
        "due_at": "2026-12-14T17:00", "acceptance": "演示环境可用"})
    assert response.status_code == 303
    task = db.session.scalar(select(Task).where(Task.source_kind == ACTION_SOURCE))
    assert (task.source_id, task.owner_id, task.assigner_id) == (
        meeting.id, cast.attendee.id, cast.member.id)
    assert task.acceptance == "演示环境可用"
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "准备演示环境" in page and "下周演示" in page
    switch(auth, cast.attendee)  # the owner: the task page links back to the meeting
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "来源" in page and f'href="/meetings/{meeting.id}"' in page
    switch(auth, cast.member)
    missing = client.post(f"/meetings/{meeting.id}/actions", data={
        "title": "缺验收", "owner_no": "NOPE", "due_at": "2026-12-14T17:00", "acceptance": ""})
    assert missing.status_code == 422
    assert "缺验收" in missing.get_data(as_text=True)


def test_the_meeting_pdf_is_made_in_the_background_in_chinese(client, auth, cast, run_jobs,
                                                              tmp_path):
    meeting = book(cast, agenda="一、项目进度")
    auth.login(cast.organiser)
    client.post(f"/meetings/{meeting.id}/minutes", data={"minutes": "会议决定下周演示"})
    response = client.post(f"/meetings/{meeting.id}/pdf", headers=HTMX)
    assert response.status_code == 200
    number = int(re.search(r"/documents/(\d+)", response.get_data(as_text=True)).group(1))
    run_jobs()
    document = db.session.get(Document, number)
    db.session.refresh(document)
    assert document.status == "done", document.error
    path = tmp_path / "meeting.pdf"
    path.write_bytes(document.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    for words in ("项目周例会", "一、项目进度", "会议决定下周演示", "王小明"):
        assert words in text


def test_cancelling_a_weekly_meeting_with_the_rest_of_its_series(client, auth, cast):
    first = book(cast, weeks=4)
    second = db.session.scalars(select(Meeting).order_by(Meeting.starts_at)).all()[1]
    auth.login(cast.organiser)
    page = client.get(f"/meetings/{second.id}").get_data(as_text=True)
    assert 'name="following"' in page
    client.post(f"/meetings/{second.id}/cancel", data={"following": "1"})
    states = [m.cancelled for m in db.session.scalars(select(Meeting).order_by(
        Meeting.starts_at))]
    assert states == [False, True, True, True]
    assert not first.cancelled
    cancelled = [t for t in _titles(cast.attendee) if "取消" in t]
    assert len(cancelled) == 1 and "之后的 2 场" in cancelled[0]


def test_the_office_looking_at_others_meetings_keeps_no_offline_copy(client, auth, cast):
    meeting = book(cast)
    auth.login(cast.office)
    assert "data-no-cache" in client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    switch(auth, cast.attendee)
    assert "data-offline-page" in client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
