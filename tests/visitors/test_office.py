"""The office's side: settings (ID type, the reception standard), the log; home panels; the
host's calendar entry; the demo."""

from sqlalchemy import func, select

from portal import demo
from portal.blueprints.tasks.models import Task
from portal.blueprints.visitors.demo import load_demo
from portal.blueprints.visitors.models import SOURCE, Visit
from portal.extensions import db
from tests.meetings.conftest import switch
from tests.panel_values import panel_values
from tests.visitors.conftest import form

STANDARD = ("迎接 | Welcome | 已到前台 | 30 | reception\n"
            "资料 | Materials | 备齐 | 180 | host")


def test_office_edits_the_standard_and_turns_on_the_id_type(client, auth, cast):
    auth.login(cast.office)
    response = client.post("/visitors/settings", data={
        "ask_id_type": "y", "retention_days": 30, "evening_hour": 19, "steps": STANDARD})
    assert response.status_code == 303
    bad = client.post("/visitors/settings", data={
        "retention_days": 30, "evening_hour": 19, "steps": "只有中文"})
    assert bad.status_code == 422 and "只有中文" in bad.get_data(as_text=True)
    switch(auth, cast.host)
    assert "证件类型" in client.get("/visitors/new").get_data(as_text=True)
    client.post("/visitors/new", data=form(cast, id_type="passport"))
    visit = db.session.scalar(select(Visit))
    assert {v.id_type for v in visit.visitors} == {"passport"}
    steps = db.session.scalars(select(Task).where(Task.source_kind == SOURCE)).all()
    assert sorted(t.acceptance for t in steps) == ["备齐", "已到前台"]


def test_without_the_setting_no_id_type_is_kept(client, auth, cast):
    auth.login(cast.host)
    assert "证件类型" not in client.get("/visitors/new").get_data(as_text=True)
    client.post("/visitors/new", data=form(cast, id_type="passport"))
    assert {v.id_type for v in db.session.scalar(select(Visit)).visitors} == {""}


def test_log_filters_by_company_and_host(client, auth, cast):
    auth.login(cast.host)
    client.post("/visitors/new", data=form(cast))
    switch(auth, cast.reception)
    page = client.get("/visitors/log?from=2026-12-01&to=2026-12-31&company=华星").get_data(
        as_text=True)
    assert "FK-" in page
    page = client.get(f"/visitors/log?from=2026-12-01&to=2026-12-31"
                      f"&host={cast.other_host.employee_no}").get_data(as_text=True)
    assert "FK-" not in page
    assert client.get("/visitors/log.xlsx").status_code == 403  # the export is the office's


def test_home_panels_and_the_hosts_calendar_entry(client, auth, cast, at):
    auth.login(cast.host)
    client.post("/visitors/new", data=form(cast))
    visit = db.session.scalar(select(Visit))
    assert visit.number in client.get("/").get_data(as_text=True)
    ics = client.get(f"/meetings/{visit.meeting_id}/invite.ics")
    assert ics.status_code == 200 and b"BEGIN:VEVENT" in ics.data
    at("2026-12-08 08:00")
    switch(auth, cast.reception)
    page = client.get("/").get_data(as_text=True)
    assert visit.number in page and "尚未签到" in page


def test_demo_visits_load_once(app):
    demo.load()
    load_demo()
    assert db.session.scalar(select(func.count()).select_from(Visit)) == 3
    assert db.session.scalar(select(func.count()).select_from(Task).where(
        Task.source_kind == SOURCE)) >= 8


def test_home_panels_hold_plain_values(app, client, auth, cast, at):
    auth.login(cast.host)
    client.post("/visitors/new", data=form(cast))
    visit = db.session.scalar(select(Visit))
    mine = panel_values(app, cast.host, "visitors/_panel_mine.html")
    assert mine == {"visits": [(visit.id, visit.number, visit.purpose, visit.arrives_at,
                                visit.status)]}
    at("2026-12-08 08:00")
    desk = panel_values(app, cast.reception, "visitors/_panel_desk.html")
    assert desk == {"count": 1, "waiting": [(visit.number, visit.arrives_at, cast.host.name)]}
