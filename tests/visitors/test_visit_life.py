"""A visit's life through the test client: register, steps due counted back from the arrival,
check-in with the host told, check-out; moving, cancelling, a no-show, a walk-in."""

from datetime import timedelta

from sqlalchemy import func, select

from portal.blueprints.meetings.models import Meeting
from portal.blueprints.notifications.models import Notification
from portal.blueprints.tasks.models import Task
from portal.blueprints.visitors.models import SOURCE, Visit
from portal.extensions import db
from tests.meetings.conftest import switch
from tests.visitors.conftest import form, local


def _visit() -> Visit:
    return db.session.scalar(select(Visit).order_by(Visit.id.desc()))


def _steps(visit) -> list[Task]:
    return list(db.session.scalars(select(Task).where(
        Task.source_kind == SOURCE, Task.source_id == visit.id).order_by(Task.due_at)))


def _titles(user) -> list[str]:
    return list(db.session.scalars(select(Notification.title).where(
        Notification.user_id == user.id)))


def test_register_check_in_notify_check_out(client, auth, cast, at):
    auth.login(cast.host)
    response = client.post("/visitors/new", data=form(cast))
    assert response.status_code == 303
    visit = _visit()
    assert [v.name for v in visit.visitors] == ["张伟", "刘芳"]
    assert visit.meeting.room_id == cast.room.id and visit.meeting.room_held
    arrival = local("2026-12-08 10:00")
    dues = sorted(arrival - t.due_at for t in _steps(visit))
    assert dues == [timedelta(minutes=15), timedelta(hours=2), timedelta(days=1),
                    timedelta(days=1)]
    owners = {t.owner.name for t in _steps(visit)}
    assert owners == {"前台小王", "陈经理"}

    switch(auth, cast.reception)
    page = client.get("/visitors/desk").get_data(as_text=True)
    assert visit.number in page and "13812345678" in page and "0/4" in page
    first = visit.visitors[0]
    response = client.post(f"/visitors/{visit.id}/check-in",
                           data={"visitor_id": first.id, "next": "desk"})
    assert response.status_code == 303
    db.session.expire_all()
    assert _visit().status == "on_site" and _visit().visitors[1].checked_in_at is None
    assert any(visit.number in t for t in _titles(cast.host))
    assert _visit().meeting.checked_in_at is None  # a day early: outside the room's window
    at("2026-12-08 09:50")  # within it: the room booking is checked in, so it is not released
    client.post(f"/visitors/{visit.id}/check-in", data={})  # the rest of the group
    db.session.expire_all()
    assert _visit().meeting.checked_in_at is not None
    client.post(f"/visitors/{visit.id}/check-out", data={})
    db.session.expire_all()
    visit = _visit()
    assert visit.status == "done"
    assert all(v.checked_out_at for v in visit.visitors)


def test_bad_input_is_shown_beside_the_field_and_kept(client, auth, cast):
    auth.login(cast.host)
    response = client.post("/visitors/new", data=form(cast, guests="张伟, 华星科技, 12ab"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "不是电话号码" in page or "not a phone number" in page
    assert "产品交流" in page and "12ab" in page
    assert db.session.scalar(select(func.count()).select_from(Visit)) == 0


def test_moving_the_arrival_moves_every_due_time_room_and_meals(client, auth, cast):
    auth.login(cast.host)
    client.post("/visitors/new", data=form(cast))
    visit = _visit()
    before = {t.id: t.due_at for t in _steps(visit)}
    response = client.post(f"/visitors/{visit.id}/move", data={
        "arrives_at": "2026-12-09T14:00", "departs_at": "2026-12-09T18:00"})
    assert response.status_code == 303
    db.session.expire_all()
    visit = _visit()
    shift = timedelta(days=1, hours=4)
    assert {t.id: t.due_at for t in _steps(visit)} == {i: d + shift for i, d in before.items()}
    assert visit.meeting.starts_at == local("2026-12-09 14:00")
    assert {m.day.isoformat() for m in visit.meals} == {"2026-12-09"}


def test_cancel_calls_off_steps_room_and_dining(client, auth, cast):
    auth.login(cast.host)
    client.post("/visitors/new", data=form(cast))
    visit = _visit()
    assert client.post(f"/visitors/{visit.id}/cancel").status_code == 303
    db.session.expire_all()
    visit = _visit()
    assert visit.status == "cancelled"
    steps = _steps(visit)
    assert len(steps) == 4 and {t.status for t in steps} == {"cancelled"}
    page = client.get(f"/tasks/{steps[0].id}").get_data(as_text=True)
    assert f"接待 {visit.number} 已取消" in page  # the reason, on the step's timeline
    told = db.session.scalars(select(Notification.title).where(
        Notification.user_id == steps[0].owner_id, Notification.link == f"/tasks/{steps[0].id}"))
    assert any("cancelled" in t or "取消" in t for t in told)  # the owner is told, by tasks
    assert db.session.get(Meeting, visit.meeting_id).room_held is False
    assert all(m.cancelled for m in visit.meals)


def test_no_show_is_its_own_state(client, auth, cast):
    auth.login(cast.host)
    client.post("/visitors/new", data=form(cast))
    visit = _visit()
    switch(auth, cast.reception)
    client.post(f"/visitors/{visit.id}/no-show")
    db.session.expire_all()
    visit = _visit()
    assert visit.status == "no_show"
    assert {t.status for t in _steps(visit)} == {"cancelled"}
    switch(auth, cast.host)  # the host assigned the steps: their timeline says why
    page = client.get(f"/tasks/{_steps(visit)[0].id}").get_data(as_text=True)
    assert f"接待 {visit.number}：客户未到访" in page


def test_a_step_links_back_to_its_visit_for_those_who_may_see_it(client, auth, cast,
                                                                 make_department):
    # The host's department head sees the host's steps (tasks' need to know), not the visit.
    cast.host.department = make_department("销售部", head=cast.other_host)
    db.session.commit()
    auth.login(cast.host)
    client.post("/visitors/new", data=form(cast))
    visit = _visit()
    step = next(t for t in _steps(visit) if t.owner_id == cast.host.id)
    page = client.get(f"/tasks/{step.id}").get_data(as_text=True)
    assert f'href="/visitors/{visit.id}"' in page and f"{visit.number} 产品交流" in page
    switch(auth, cast.other_host)
    response = client.get(f"/tasks/{step.id}")
    assert response.status_code == 200 and step.title in response.get_data(as_text=True)
    assert f"/visitors/{visit.id}" not in response.get_data(as_text=True)
    assert client.get(f"/visitors/{visit.id}").status_code == 404


def test_walk_in_is_created_and_checked_in_in_one_step(client, auth, cast):
    auth.login(cast.reception)
    response = client.post("/visitors/desk/walk-in", data={
        "name": "赵强", "company": "顺达物流", "mobile": "13700001111",
        "host_no": cast.host.employee_no, "purpose": "送样品"})
    assert response.status_code == 303
    visit = _visit()
    assert visit.walk_in and visit.status == "on_site"
    assert visit.visitors[0].checked_in_at is not None
    assert any(visit.number in t for t in _titles(cast.host))


def test_a_visit_is_opened_by_its_code_at_the_desk(client, auth, cast):
    auth.login(cast.host)
    client.post("/visitors/new", data=form(cast))
    visit = _visit()
    switch(auth, cast.reception)
    response = client.post("/visitors/desk/code", data={"code": visit.code.lower()})
    assert response.headers["Location"].endswith(f"/visitors/{visit.id}")
    assert client.post("/visitors/desk/code", data={"code": "张伟"}).status_code == 404
