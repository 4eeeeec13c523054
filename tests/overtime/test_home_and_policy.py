"""Home panels (tonight's overtime and open claims; waiting approvals; the month's state) and
the office's policy versions and settings."""

from datetime import date

from sqlalchemy import func, select

from portal.blueprints.overtime.models import OvertimeSettings, Policy
from portal.extensions import db
from tests.overtime.conftest import claim_form, make_record
from tests.panel_values import panel_values


def test_home_shows_each_person_their_part(client, auth, cast, policy, at):
    at("2026-12-02 23:30")
    make_record(cast.employee)
    auth.login(cast.employee)
    client.post("/overtime/claims/new", data=claim_form())
    home = client.get("/").get_data(as_text=True)
    assert "Tonight: 18:00–22:00" in home and "¥45.00" in home
    auth.logout()
    auth.login(cast.head)
    home = client.get("/").get_data(as_text=True)
    assert "1 claim is waiting." in home
    auth.logout()
    auth.login(cast.office)
    home = client.get("/").get_data(as_text=True)
    assert "Taxi claims of 2026-12" in home and "The month is open." in home


def test_the_office_adds_a_policy_version_and_one_date_holds_one_version(
        client, auth, cast, at):
    auth.login(cast.office)
    form = {"effective_from": "2027-01-01", "earliest_end": "21:30",
            "ride_window_minutes": "90", "max_per_ride": "80", "monthly_cap": "600",
            "receipt_above": "30", "rest_days_allowed": "y", "rest_day_earliest_end": "18:00"}
    assert client.post("/overtime/policy", data=form).status_code == 303
    row = db.session.scalar(select(Policy))
    assert (row.effective_from, row.max_per_ride_cents, row.holidays_allowed) == (
        date(2027, 1, 1), 8000, False)
    again = client.post("/overtime/policy", data=form)
    assert again.status_code == 422
    assert "A version already starts on this date." in again.get_data(as_text=True)
    wrong = client.post("/overtime/policy", data=form | {"effective_from": "2027-02-01",
                                                         "earliest_end": "25:00"})
    assert "Use the form HH:MM" in wrong.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Policy)) == 1


def test_the_office_sets_the_reminder_delay_and_the_retention(client, auth, cast, at):
    auth.login(cast.office)
    assert client.post("/overtime/settings", data={
        "reminder_hours": "12", "receipt_retention_days": "365"}).status_code == 303
    row = db.session.scalar(select(OvertimeSettings))
    assert (row.reminder_hours, row.receipt_retention_days) == (12, 365)


def test_a_district_with_a_street_or_number_is_refused(client, auth, cast, policy, at):
    make_record(cast.employee)
    auth.login(cast.employee)
    response = client.post("/overtime/claims/new",
                           data=claim_form(to_district="宝安区新安街道18号"))
    assert response.status_code == 422
    assert "The district only (for example 浦东新区)" in response.get_data(as_text=True)


def test_the_demo_loads_one_policy_version_once(app):
    from portal.blueprints.overtime.demo import load_demo

    load_demo()
    load_demo()
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Policy)) == 1


def test_the_home_panels_hold_plain_values(client, auth, cast, policy, at, app):
    at("2026-12-02 23:30")
    make_record(cast.employee)
    auth.login(cast.employee)
    client.post("/overtime/claims/new", data=claim_form())
    tonight = panel_values(app, cast.employee, "overtime/_panel_tonight.html")
    assert tonight["record"] == ("18:00", "22:00", None)
    [claim] = tonight["claims"]
    assert (claim.day, claim.amount) == (date(2026, 12, 2), "¥45.00")
    assert panel_values(app, cast.head, "overtime/_panel_waiting.html") == {"count": 1}
    month = panel_values(app, cast.office, "overtime/_panel_month.html")
    assert month["month"] == "2026-12" and not month["state"]
