"""Targets across weekends and holidays, for office hours and the 24/7 lab channel; the rota."""

from datetime import date, timedelta

from sqlalchemy import select

from portal.blueprints.calendar.models import CompanyDay
from portal.blueprints.repairs.calendars import looked_at_from, on_duty_user, targets_for
from portal.blueprints.repairs.models import OnCallShift, RepairRequest
from portal.extensions import db
from tests.repairs.conftest import local

# The office's entries in the company calendar (an override of the official schedule):
# 2026-10-01 (Thu) to 10-08 off for National Day; Sunday 2026-10-11 is worked (调休).


def _holidays():
    for offset in range(8):
        db.session.add(CompanyDay(day=date(2026, 10, 1) + timedelta(days=offset), kind="holiday",
                                  name="国庆节"))
    db.session.add(CompanyDay(day=date(2026, 10, 11), kind="make_up", name="国庆调休"))
    db.session.commit()


def test_office_targets_skip_the_weekend(app):
    filed = local(2026, 11, 27, 16, 30)  # Friday 16:30, one office hour left
    response, resolution = targets_for("aircon", "normal", filed)  # 4 h / 2 working days
    assert response == local(2026, 11, 30, 11, 30)  # 1 h Friday + 3 h Monday
    assert resolution == local(2026, 12, 1, 16, 30)  # 18 h: 1 Fri + 9 Mon + 8 Tue


def test_office_targets_skip_a_holiday_and_count_an_exchanged_sunday(app):
    _holidays()
    filed = local(2026, 9, 30, 17, 0)  # Wednesday before the holiday, half an hour left
    response, _ = targets_for("lighting", "urgent", filed)  # 1 office hour
    assert response == local(2026, 10, 9, 9, 0)  # 30 min on 9-30, then Fri 10-09 08:30 + 30 min
    filed = local(2026, 10, 10, 10, 0)  # Saturday: not a working day
    response, _ = targets_for("lighting", "urgent", filed)
    assert response == local(2026, 10, 11, 9, 30)  # the exchanged Sunday counts


def test_lab_targets_count_every_hour_weekend_and_holiday_alike(app):
    _holidays()
    filed = local(2026, 10, 3, 3, 0)  # a holiday Saturday at 03:00
    response, resolution = targets_for("lab", "urgent", filed)
    assert response == local(2026, 10, 3, 3, 30)
    assert resolution == local(2026, 10, 3, 7, 0)
    assert looked_at_from("lab", filed) is None


def test_out_of_hours_request_says_when_it_will_be_looked_at(app):
    assert looked_at_from("plumbing", local(2026, 11, 28, 22, 0)) == local(2026, 11, 30, 8, 30)
    assert looked_at_from("plumbing", local(2026, 11, 30, 10, 0)) is None


def test_rota_chooses_the_night_technician_at_three_in_the_morning(app, make_user):
    day_tech = make_user("facilities", name="白班")
    night_tech = make_user("facilities", name="夜班")
    db.session.add_all([
        OnCallShift(user=day_tech, starts_at=local(2026, 11, 30, 8, 0),
                    ends_at=local(2026, 11, 30, 20, 0)),
        OnCallShift(user=night_tech, starts_at=local(2026, 11, 30, 20, 0),
                    ends_at=local(2026, 12, 1, 8, 0)),
    ])
    db.session.commit()
    assert on_duty_user(local(2026, 12, 1, 3, 0)) == night_tech
    assert on_duty_user(local(2026, 11, 30, 12, 0)) == day_tech


# Spring Festival 2027 as the demo has it: 02-06 (Sat) to 02-13 off, Sunday 02-14 worked (调休).
def _spring_festival():
    for offset in range(8):
        db.session.add(CompanyDay(day=date(2027, 2, 6) + timedelta(days=offset), kind="holiday",
                                  name="春节"))
    db.session.add(CompanyDay(day=date(2027, 2, 14), kind="make_up", name="春节调休"))
    db.session.commit()


def _file(client, **fields):
    """Post the request form (the service stamps the time it files: set the clock first)."""
    return client.post("/repairs/new", follow_redirects=True, data={
        "urgency": "normal", "description": "饮水机漏水", **fields})


def test_out_of_hours_message_before_a_holiday_names_the_date(client, auth, cast, time_machine):
    _spring_festival()
    time_machine.move_to(local(2027, 2, 5, 20, 0), tick=False)  # Friday evening
    auth.login(cast.requester)
    response = _file(client, category="plumbing", location_id=cast.room.id)
    page = response.get_data(as_text=True)
    # "星期日 08:30" alone would read as the day after tomorrow; it is nine days later.
    assert "现在是非工作时间：您的报修将于 2月14日星期日 08:30 起处理。" in page  # the flash
    assert "非工作时间提交：将于 2月14日星期日 08:30 起处理。" in page  # the request's page
    repair = db.session.scalar(select(RepairRequest))
    auth.logout()
    auth.login(cast.office)
    cast.office.language = "en"
    db.session.commit()
    page = client.get(f"/repairs/{repair.id}").get_data(as_text=True)
    assert "it will be looked at from Sunday, Feb 14 08:30." in page


def test_lab_request_friday_night_before_a_holiday_counts_every_hour(client, auth, cast,
                                                                     time_machine):
    _spring_festival()
    time_machine.move_to(local(2027, 2, 5, 20, 0), tick=False)
    auth.login(cast.requester)
    response = _file(client, category="lab", urgency="low", location_id=cast.room.id)
    page = response.get_data(as_text=True)
    repair = db.session.scalar(select(RepairRequest))
    assert repair.response_due == local(2027, 2, 6, 0, 0)  # 4 clock hours, on a holiday
    assert repair.resolution_due == local(2027, 2, 8, 20, 0)  # 72 hours through the festival
    assert "非工作时间" not in page  # nothing waits for the office to open
    assert "已改为通知刘主管，响应时限为 2月6日星期六 00:00。" in page  # issue 11 point 3
