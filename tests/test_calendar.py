"""The company calendar: filled from China's official schedule, kept by the office, read by
repairs' office hours. chinese-calendar is the library (see docs/calendar.md for why)."""

from datetime import date

import time_machine
from sqlalchemy import select

from portal.blueprints.audit.models import AuditEntry
from portal.blueprints.calendar import queries
from portal.blueprints.calendar.models import CompanyDay
from portal.extensions import db
from tests.repairs.conftest import local

# 2026 as the State Council published it: the weekend days worked in exchange (调休).
MAKE_UP_2026 = [date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28), date(2026, 5, 9),
                date(2026, 9, 20), date(2026, 10, 10)]
MAKE_UP_2025 = [date(2025, 1, 26), date(2025, 2, 8), date(2025, 4, 27), date(2025, 9, 28),
                date(2025, 10, 11)]


def _fill(client, year):
    return client.post("/admin/calendar/fill", data={"year": str(year)})


def test_the_office_fills_2025_and_2026_with_the_official_make_up_days(client, auth, make_user):
    auth.login(make_user("office"))
    for year, make_up in ((2025, MAKE_UP_2025), (2026, MAKE_UP_2026)):
        assert _fill(client, year).status_code == 303
        rows = db.session.scalars(select(CompanyDay).where(
            CompanyDay.kind == "make_up", CompanyDay.day.between(date(year, 1, 1),
                                                                 date(year, 12, 31))))
        assert sorted(row.day for row in rows) == make_up
    assert not queries.is_working_day(date(2026, 10, 1))  # National Day, a Thursday
    assert not queries.is_working_day(date(2026, 2, 23))  # Spring Festival, a Monday
    assert queries.is_working_day(date(2026, 10, 10))  # a Saturday worked
    assert queries.is_working_day(date(2026, 10, 9)) and not queries.is_working_day(
        date(2026, 10, 11))  # an ordinary Friday and Sunday
    assert queries.working_days_between(date(2026, 10, 1), date(2026, 10, 11)) == [
        date(2026, 10, 8), date(2026, 10, 9), date(2026, 10, 10)]
    assert queries.next_working_day(date(2026, 9, 30)) == date(2026, 10, 8)
    page = client.get("/admin/calendar/?year=2026").get_data(as_text=True)
    assert "2026-02-17 春节" in page and "2026-02-14 春节（调休上班）" in page
    assert "2026-10-10 国庆节（调休上班）" in page and "法定节假日" in page
    assert "Spring Festival" not in page
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.target == "calendar:2026"))
    assert entry.action == "calendar.fill" and entry.details["days"] > 30


def test_english_page_names_the_holidays_in_english(client, auth, make_user):
    auth.login(make_user("office", language="en"))
    _fill(client, 2026)
    page = client.get("/admin/calendar/?year=2026").get_data(as_text=True)
    assert "2026-02-17 Spring Festival" in page and "2026-05-09 Labour Day (make-up day)" in page
    assert "春节" not in page and "调休上班" not in page
    with client.application.test_request_context():
        info = queries.day_info(date(2026, 10, 3))
    assert (info.working, info.kind, info.official) == (False, "holiday", True)


def test_the_page_shows_the_current_year_by_default(client, auth, make_user):
    with time_machine.travel(local(2026, 1, 1, 0, 30), tick=False):  # UTC: still 2025
        auth.login(make_user("office"))
        page = client.get("/admin/calendar/").get_data(as_text=True)
    assert "公司日历 2026" in page


def test_a_year_the_library_does_not_know_is_said_next_to_the_field(client, auth, make_user):
    auth.login(make_user("office"))
    response = _fill(client, 2099)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "2099 年的国家放假安排尚未发布" in page and 'value="2099"' in page
    assert db.session.scalar(select(CompanyDay)) is None


def test_company_days_off_and_closures_override_the_schedule_and_come_back(client, auth,
                                                                           make_user):
    auth.login(make_user("office"))
    _fill(client, 2026)
    # The company gives the whole Spring Festival week's make-up Saturday off...
    assert client.post("/admin/calendar/days", data={
        "day": "2026-02-14", "kind": "day_off", "name": "公司统一放假"}).status_code == 303
    # ...and the site is closed for two days of works.
    assert client.post("/admin/calendar/days", data={
        "day": "2026-07-06", "last_day": "2026-07-07", "kind": "closure",
        "name": "园区停电检修"}).status_code == 303
    info = queries.day_info(date(2026, 2, 14))
    assert (info.working, info.company_day_off, info.name) == (False, True, "公司统一放假")
    assert not queries.is_working_day(date(2026, 7, 7))
    page = client.get("/admin/calendar/?year=2026").get_data(as_text=True)
    assert "2026-07-06 园区停电检修" in page and "园区关闭" in page
    # Filling the year again keeps the office's days.
    _fill(client, 2026)
    assert queries.day_info(date(2026, 2, 14)).kind == "day_off"
    # Removing the override brings the official make-up day back.
    assert client.post("/admin/calendar/days/2026-02-14/delete").status_code == 303
    assert queries.day_info(date(2026, 2, 14)).make_up
    actions = db.session.scalars(select(AuditEntry.action)).all()
    assert {"calendar.set", "calendar.remove"} <= set(actions)
    targets = db.session.scalars(select(AuditEntry.target)).all()
    assert "calendar:2026-07-06..2026-07-07" in targets


def test_bad_input_is_said_next_to_the_field_and_kept(client, auth, make_user):
    auth.login(make_user("office"))
    response = client.post("/admin/calendar/days", data={
        "day": "2026-07-07", "last_day": "2026-07-01", "kind": "closure", "name": "检修"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "结束日期不能早于起始日期。" in page and 'value="检修"' in page
    assert 'value="2026-07-07"' in page
    assert db.session.scalar(select(CompanyDay)) is None


def test_only_the_office_keeps_the_calendar(client, auth, make_user):
    auth.login(make_user("employee", "facilities"))
    assert client.get("/admin/calendar/").status_code == 403
    assert client.post("/admin/calendar/fill", data={"year": "2026"}).status_code == 403
    assert client.post("/admin/calendar/days", data={
        "day": "2026-07-06", "kind": "closure"}).status_code == 403
    db.session.add(CompanyDay(day=date(2026, 7, 6), kind="closure", name="x"))
    db.session.commit()
    assert client.post("/admin/calendar/days/2026-07-06/delete").status_code == 403
    assert db.session.get(CompanyDay, date(2026, 7, 6)) is not None


def test_state_changes_need_the_csrf_token(app, client, auth, make_user, monkeypatch):
    auth.login(make_user("office"))
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert client.post("/admin/calendar/fill", data={"year": "2026"}).status_code == 400
    assert db.session.scalar(select(CompanyDay)) is None


def test_removing_a_day_that_is_not_the_office_entry_is_404(client, auth, make_user):
    auth.login(make_user("office"))
    assert client.post("/admin/calendar/days/2026-07-06/delete").status_code == 404
    assert client.post("/admin/calendar/days/not-a-day/delete").status_code == 404
    _fill(client, 2026)
    assert client.post("/admin/calendar/days/2026-10-01/delete").status_code == 404
    assert not queries.is_working_day(date(2026, 10, 1))


def test_repair_office_hours_follow_the_official_make_up_saturday(client, auth, make_user):
    from portal.blueprints.repairs.calendars import targets_for

    auth.login(make_user("office"))
    filed = local(2026, 2, 13, 16, 30)  # Friday before Spring Festival, one office hour left
    ordinary, _ = targets_for("aircon", "normal", filed)  # 4 office hours
    assert ordinary == local(2026, 2, 16, 11, 30)  # Monday, without the calendar
    _fill(client, 2026)
    response, _ = targets_for("aircon", "normal", filed)
    assert response == local(2026, 2, 14, 11, 30)  # Saturday 02-14 is worked (调休)
    filed = local(2026, 2, 14, 17, 0)
    response, _ = targets_for("aircon", "normal", filed)
    assert response == local(2026, 2, 24, 12, 0)  # half an hour, 02-15..02-23 off, Tuesday


def test_a_range_sets_every_day_and_updates_days_already_there(client, auth, make_user):
    db.session.add(CompanyDay(day=date(2026, 10, 3), kind="make_up", name="旧名"))
    db.session.commit()
    auth.login(make_user("office"))
    response = client.post("/admin/calendar/days", follow_redirects=True, data={
        "day": "2026-10-01", "last_day": "2026-10-08", "kind": "holiday", "name": "国庆节"})
    assert "已保存：8 天。" in response.get_data(as_text=True)
    days = db.session.scalars(select(CompanyDay).order_by(CompanyDay.day)).all()
    assert [(d.day.day, d.name, d.kind) for d in days] == [(n, "国庆节", "holiday")
                                                          for n in range(1, 9)]
    response = client.post("/admin/calendar/days", data={
        "day": "2026-01-01", "last_day": "2026-12-31", "kind": "closure", "name": "全年"})
    assert response.status_code == 422 and "一次最多 31 天。" in response.get_data(as_text=True)
