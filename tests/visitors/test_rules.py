"""Rules around a visit: the room is never double-booked, the canteen counts the guests,
phones are masked for all but host and reception, another host's visit is 404, the purge."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.blueprints.audit.models import AuditEntry
from portal.blueprints.meetings import services as meetings
from portal.blueprints.visitors import jobs
from portal.blueprints.visitors.models import Visit, Visitor
from portal.errors import Refused
from portal.extensions import db
from tests.meetings.conftest import switch
from tests.visitors.conftest import form, local


def _register(client, auth, cast, **fields) -> Visit:
    auth.login(cast.host)
    response = client.post("/visitors/new", data=form(cast, **fields))
    assert response.status_code == 303, response.get_data(as_text=True)
    return db.session.scalar(select(Visit).order_by(Visit.id.desc()))


def test_a_taken_room_is_refused_and_nothing_is_written(client, auth, cast):
    meetings.book(cast.other_host, meetings.Plan(
        room=cast.room, title="部门会", starts_at=local("2026-12-08 11:00"),
        ends_at=local("2026-12-08 12:00")))
    db.session.commit()
    auth.login(cast.host)
    response = client.post("/visitors/new", data=form(cast))
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "已被预订" in page or "already booked" in page
    assert "张伟" in page  # what was typed is kept
    assert db.session.scalar(select(func.count()).select_from(Visit)) == 0


def test_the_meeting_service_refuses_a_meeting_over_a_visits_room(client, auth, cast):
    _register(client, auth, cast)
    with pytest.raises(Refused):
        meetings.book(cast.other_host, meetings.Plan(
            room=cast.room, title="部门会", starts_at=local("2026-12-08 11:30"),
            ends_at=local("2026-12-08 12:30")))


def test_dining_is_counted_in_the_canteens_headcount_by_visit(client, auth, cast, at,
                                                               make_user):
    visit = _register(client, auth, cast)
    at("2026-12-08 17:00")
    canteen = make_user("employee", "canteen", name="食堂老张")
    switch(auth, canteen)
    page = client.get("/canteen/tonight").get_data(as_text=True)
    assert visit.number in page and "一位清真" in page
    assert 'data-night-total>2<' in page.replace(" ", "")
    assert "张伟" not in page  # by visit, never by name
    client.post(f"/visitors/{visit.id}/cancel")  # the canteen cannot cancel: 404
    switch(auth, cast.host)
    client.post(f"/visitors/{visit.id}/cancel")
    switch(auth, canteen)
    assert visit.number not in client.get("/canteen/tonight").get_data(as_text=True)


@pytest.mark.parametrize("who,sees", [("host", True), ("reception", True), ("office", False)])
def test_phones_are_masked_unless_host_or_reception(client, auth, cast, who, sees):
    visit = _register(client, auth, cast)
    switch(auth, getattr(cast, who))
    page = client.get(f"/visitors/{visit.id}").get_data(as_text=True)
    assert ("13812345678" in page) is sees
    assert ("138****5678" in page) is not sees


def test_office_export_masks_phones(client, auth, cast):
    _register(client, auth, cast)
    switch(auth, cast.office)
    response = client.get("/visitors/log.csv?from=2026-12-01&to=2026-12-31")
    text = response.get_data(as_text=True)
    assert "138****5678" in text and "13812345678" not in text
    assert client.get("/visitors/log.xlsx?from=2026-12-01&to=2026-12-31").status_code == 200


def test_another_hosts_visit_is_404_and_the_desk_is_403(client, auth, cast):
    visit = _register(client, auth, cast)
    for person in (cast.other_host, cast.employee):
        switch(auth, person)
        assert client.get(f"/visitors/{visit.id}").status_code == 404
        assert client.post(f"/visitors/{visit.id}/cancel").status_code == 404
        assert client.get("/visitors/desk").status_code == 403
        assert visit.number not in client.get("/visitors/").get_data(as_text=True)


def test_my_visits_are_kept_per_their_rows_and_show_a_cancellation_at_once(client, auth,
                                                                          cast):
    visit = _register(client, auth, cast)
    line = client.get("/visitors/").get_data(as_text=True).split(visit.number, 1)[1]
    assert "待到访" in line.split("</li>", 1)[0]
    switch(auth, cast.other_host)
    assert visit.number not in client.get("/visitors/").get_data(as_text=True)
    switch(auth, cast.host)
    assert client.post(f"/visitors/{visit.id}/cancel").status_code == 303
    line = client.get("/visitors/").get_data(as_text=True).split(visit.number, 1)[1]
    assert "接待已取消" in line.split("</li>", 1)[0]


def test_purge_blanks_personal_data_keeps_counts_and_logs_counts_only(client, auth, cast, at):
    visit = _register(client, auth, cast)
    switch(auth, cast.reception)
    client.post(f"/visitors/{visit.id}/check-in", data={})
    client.post(f"/visitors/{visit.id}/check-out", data={})
    at("2027-01-06 10:00")  # 29 days after: kept
    assert jobs.purge_personal_data() == {"visits": 0, "visitors": 0, "badge_files": 0}
    at("2027-01-08 10:00")  # 31 days after: removed
    assert jobs.purge_personal_data() == {"visits": 1, "visitors": 2, "badge_files": 0}
    db.session.expire_all()
    rows = db.session.execute(select(Visitor.name, Visitor.mobile, Visitor.email)).all()
    assert rows == [("", "", ""), ("", "", "")]
    visit = db.session.get(Visit, visit.id)
    assert visit.visitor_count == 2 and visit.purged_at is not None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "visitors.purge"))
    assert entry.details == {"visits": 1, "visitors": 2, "badge_files": 0}
    assert "张伟" not in str(entry.details)
    assert jobs.purge_personal_data() == {"visits": 0, "visitors": 0, "badge_files": 0}


def test_evening_list_then_morning_close_as_not_checked_out(client, auth, cast, at):
    visit = _register(client, auth, cast)
    at("2026-12-08 10:05")
    switch(auth, cast.reception)
    client.post(f"/visitors/{visit.id}/check-in", data={})
    at("2026-12-08 19:10")
    assert jobs.evening_list() == 2
    assert jobs.evening_list() == 0  # once per evening
    at("2026-12-09 07:00")
    assert jobs.morning_close() == (2, 0)
    db.session.expire_all()
    visit = db.session.get(Visit, visit.id)
    assert visit.status == "not_checked_out"
    assert all(v.not_checked_out for v in visit.visitors)


def test_day_before_reminder_goes_once(client, auth, cast, at):
    _register(client, auth, cast)
    assert jobs.remind_day_before() == 1
    assert jobs.remind_day_before() == 0
    assert timedelta  # noqa: B018


def test_a_visit_and_a_meeting_booking_the_same_room_at_once_get_one_booking(app, cast):
    """Two threads, each its own app context and connection, released by a barrier."""
    import threading

    from portal.blueprints.accounts.models import User
    from portal.blueprints.meetings.models import Meeting, Room
    from portal.blueprints.visitors import services

    if db.engine.dialect.name != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite serialises the whole database)")
    room_id, host_id, other_id = cast.room.id, cast.host.id, cast.other_host.id
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt(kind: str) -> None:
        with app.app_context():
            try:
                room = db.session.get(Room, room_id)
                barrier.wait(timeout=10)
                if kind == "visit":
                    services.register(db.session.get(User, host_id), services.Plan(
                        purpose="产品交流", arrives_at=local("2026-12-08 10:00"),
                        departs_at=local("2026-12-08 12:00"), room=room,
                        guests=[services.Guest("张伟")]))
                else:
                    meetings.book(db.session.get(User, other_id), meetings.Plan(
                        room=room, title="部门会", starts_at=local("2026-12-08 10:30"),
                        ends_at=local("2026-12-08 11:30")))
                db.session.commit()
                outcomes.append("booked")
            except Refused:
                db.session.rollback()
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt, args=(k,)) for k in ("visit", "meeting")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["booked", "refused"], outcomes
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Meeting).where(
        Meeting.room_held.is_(True))) == 1
