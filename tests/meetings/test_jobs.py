"""Scheduled jobs: reminders the day before and 30 minutes before, each once; rooms nobody
checked in to are given back after the set minutes. Run through RQ (burst) against Redis."""

from sqlalchemy import func, select

from portal.blueprints.meetings.models import DECLINED, MeetingAlert
from portal.blueprints.notifications.models import Notification
from portal.extensions import db
from portal.queue import enqueue
from tests.meetings.conftest import book, switch

REMIND = "portal.blueprints.meetings.jobs.send_meeting_reminders"
RELEASE = "portal.blueprints.meetings.jobs.release_unclaimed_rooms"


def _titles(user, words: str) -> list[str]:
    return [t for t in db.session.scalars(select(Notification.title).where(
        Notification.user_id == user.id)) if words in t]


def _run(run_jobs, name: str) -> None:
    enqueue(name)
    run_jobs()
    db.session.expire_all()


def test_reminders_go_out_the_day_before_and_30_minutes_before_once_each(app, cast, at,
                                                                         run_jobs, make_user):
    declined = make_user("employee", name="请假的人")
    meeting = book(cast, people=[cast.attendee, declined])
    meeting.attendee(declined).response = DECLINED
    db.session.commit()
    at("2026-12-07 10:05")  # 24 h before: the day-before reminder
    _run(run_jobs, REMIND)
    _run(run_jobs, REMIND)  # a second run sends nothing more
    assert len(_titles(cast.attendee, "明天开会")) == 1
    assert len(_titles(cast.organiser, "明天开会")) == 1
    assert _titles(declined, "明天开会") == []
    at("2026-12-08 09:35")
    _run(run_jobs, REMIND)
    _run(run_jobs, REMIND)
    assert len(_titles(cast.attendee, "30 分钟后开会")) == 1
    assert len(_titles(cast.attendee, "明天开会")) == 1
    assert db.session.scalar(select(func.count()).select_from(MeetingAlert)) == 2


def test_a_moved_meeting_is_reminded_of_again(client, auth, cast, at, run_jobs):
    meeting = book(cast)
    at("2026-12-07 10:05")
    _run(run_jobs, REMIND)
    auth.login(cast.organiser)
    client.post(f"/meetings/{meeting.id}/reschedule", data={
        "room_id": cast.room.id, "day": "2026-12-08", "start": "11:00", "end": "12:00"})
    at("2026-12-07 11:05")
    _run(run_jobs, REMIND)
    assert len(_titles(cast.attendee, "明天开会")) == 2


def test_a_booking_nobody_checked_in_to_is_released_after_15_minutes(app, cast, at, run_jobs):
    meeting = book(cast)
    at("2026-12-08 10:14")
    _run(run_jobs, RELEASE)
    assert meeting.room_held
    at("2026-12-08 10:15")
    _run(run_jobs, RELEASE)
    _run(run_jobs, RELEASE)
    assert not meeting.room_held and meeting.released_at is not None
    assert len(_titles(cast.organiser, "已释放")) == 1
    book(cast, title="捡漏", start="2026-12-08 10:20", end="2026-12-08 11:00")  # free again


def test_checking_in_keeps_the_room(client, auth, cast, at, run_jobs):
    meeting = book(cast)
    auth.login(cast.attendee)
    at("2026-12-08 09:30")  # too early
    client.post(f"/meetings/{meeting.id}/check-in")
    assert meeting.checked_in_at is None
    at("2026-12-08 09:50")
    assert client.post(f"/meetings/{meeting.id}/check-in").status_code == 303
    db.session.refresh(meeting)
    assert meeting.checked_in_at is not None
    at("2026-12-08 10:40")
    _run(run_jobs, RELEASE)
    assert meeting.room_held


def test_the_office_sets_the_release_minutes(client, auth, cast, at, run_jobs):
    auth.login(cast.office)
    assert client.post("/meetings/manage/settings",
                       data={"release_after_minutes": 30}).status_code == 303
    switch(auth, cast.organiser)
    meeting = book(cast)
    at("2026-12-08 10:20")
    _run(run_jobs, RELEASE)
    assert meeting.room_held
    at("2026-12-08 10:30")
    _run(run_jobs, RELEASE)
    assert not meeting.room_held


def test_the_modules_scheduled_jobs_are_importable_by_their_dotted_names(app):
    from importlib import import_module

    from portal.blueprints.meetings import MODULE

    for name, expression in MODULE.cron:
        module, _, function = name.rpartition(".")
        assert callable(getattr(import_module(module), function))
        assert len(expression.split()) == 5
