"""Publishing a week with days that have no meals: warned first, offered to mark them closed;
the company calendar's holidays are closed already; the wall PDF then has no empty column."""

import re
import subprocess
from datetime import date, timedelta

from portal.blueprints.calendar.models import CompanyDay
from portal.blueprints.canteen import queries, services
from portal.blueprints.documents.models import Document
from portal.extensions import db
from tests.canteen.conftest import HTMX

MONDAY = date(2026, 9, 28)  # National Day week: 10-01 (Thu) to 10-04 (Sun) off


def _weekdays_only(dishes):
    """Monday to Friday filled, except the holiday days; the weekend left empty."""
    week = services.get_or_create_week(MONDAY)
    for n in (0, 1, 2):
        services.add_item(week, MONDAY + timedelta(days=n), "lunch", dishes["宫保鸡丁"])
    db.session.commit()
    return week


def _pdf_text(client, run_jobs, tmp_path) -> str:
    response = client.post(f"/canteen/manage/{MONDAY}/pdf", headers=HTMX)
    number = int(re.search(r"/documents/(\d+)", response.get_data(as_text=True)).group(1))
    run_jobs()
    document = db.session.get(Document, number)
    db.session.refresh(document)
    assert document.status == "done", document.error
    path = tmp_path / "week.pdf"
    path.write_bytes(document.content)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_publishing_with_empty_days_warns_then_marks_them_closed(client, auth, make_user, dishes,
                                                                  run_jobs, tmp_path, at):
    for offset in range(7):  # the company calendar: 10-01 .. 10-07 off (official schedule)
        db.session.add(CompanyDay(day=date(2026, 10, 1) + timedelta(days=offset),
                                  kind="holiday", name="National Day", official=True))
    week = _weekdays_only(dishes)
    # The holidays from the company calendar are closed already, with their name.
    days = {menu.day: menu for menu in queries.week_days(week, MONDAY)}
    assert days[date(2026, 10, 1)].closed and days[date(2026, 10, 1)].note == "国庆节"
    assert queries.empty_open_days(week) == []  # 10-01..10-04 are all holidays
    db.session.delete(db.session.get(CompanyDay, date(2026, 10, 4)))  # a plain Sunday again
    db.session.commit()
    assert queries.empty_open_days(week) == [date(2026, 10, 4)]

    auth.login(make_user("employee", "canteen"))
    response = client.post(f"/canteen/manage/{MONDAY}/publish")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "还没有发布：有几天没有菜" in page
    warned = page.split("还没有发布")[1].split("</ul>")[0]
    assert "10/4" in warned and "10/1" not in warned
    assert "标为停餐并发布" in page and "照样发布" in page
    db.session.refresh(week)
    assert not week.published  # nothing happened yet

    response = client.post(f"/canteen/manage/{MONDAY}/publish", data={"empty_days": "close"},
                           follow_redirects=True)
    assert "已发布" in response.get_data(as_text=True)
    db.session.refresh(week)
    assert week.published
    closed = {info.day for info in week.days if info.closed}
    assert closed == {date(2026, 10, 4)}  # marked by the canteen; 10-01..03 by the calendar

    text = _pdf_text(client, run_jobs, tmp_path)
    # Seven columns, none empty: three days of dishes, four closed.
    assert text.count("宫保鸡丁") == 3 and text.count("停止供餐") == 4


def test_publishing_empty_days_as_they_are_after_the_warning(client, auth, make_user, dishes, at):
    week = _weekdays_only(dishes)
    auth.login(make_user("employee", "canteen"))
    page = client.post(f"/canteen/manage/{MONDAY}/publish").get_data(as_text=True)
    assert "还没有发布" in page
    client.post(f"/canteen/manage/{MONDAY}/publish", data={"empty_days": "keep"})
    db.session.refresh(week)
    assert week.published and not week.days
