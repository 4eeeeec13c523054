"""Targets across weekends and holidays, for office hours and the 24/7 lab channel; the rota."""

from datetime import date, timedelta

from portal.blueprints.repairs.calendars import looked_at_from, on_duty_user, targets_for
from portal.blueprints.repairs.models import Holiday, OnCallShift
from portal.extensions import db
from tests.repairs.conftest import local

# 2026-10-01 (Thu) to 10-08 is the National Day holiday; Sunday 2026-10-11 is worked (调休).


def _holidays():
    for offset in range(8):
        db.session.add(Holiday(day=date(2026, 10, 1) + timedelta(days=offset), name="国庆节"))
    db.session.add(Holiday(day=date(2026, 10, 11), name="国庆调休", workday=True))
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
