"""Every policy rule with its message: boundary minutes and amounts, the monthly cap crossed
mid-claim, rest days and holidays, and a policy changed mid-month applying by the ride's date."""

from datetime import date

import pytest

from portal.blueprints.calendar.models import HOLIDAY, CompanyDay
from portal.blueprints.overtime.models import Claim
from portal.extensions import db
from tests.overtime.conftest import EVENING, claim_form, make_policy, make_record


@pytest.fixture
def employee(cast, auth, policy, at):
    auth.login(cast.employee)
    return cast.employee


def submit(client, **fields):
    return client.post("/overtime/claims/new", data=claim_form(**fields))


def page(response) -> str:
    return response.get_data(as_text=True)


def test_a_claim_within_every_rule_is_submitted_to_the_head(client, employee):
    make_record(employee)
    response = submit(client)
    assert response.status_code == 303
    claim = db.session.scalar(db.select(Claim))
    assert (claim.status, claim.amount_cents, claim.to_district) == ("head", 4500, "宝安区")


def test_overtime_ending_before_the_earliest_end_says_by_how_many_minutes(client, employee):
    make_record(employee, end="20:45")
    response = submit(client, ride="20:50")
    assert response.status_code == 422
    assert "15 minutes before the earliest eligible end (21:00)" in page(response)
    assert 'value="南山区"' in page(response)  # what was typed is kept


def test_overtime_ending_exactly_at_the_earliest_end_is_eligible(client, employee):
    make_record(employee, end="21:00")
    assert submit(client, ride="21:05").status_code == 303


def test_the_ride_window_boundary_is_inclusive_and_one_minute_late_is_refused(client, employee):
    make_record(employee, end="22:00")
    late = submit(client, ride="next 00:01")
    assert late.status_code == 422
    assert "1 minutes after the latest start allowed (00:00, 120 minutes" in page(late)
    assert submit(client, ride="next 00:00").status_code == 303


def test_a_ride_before_the_overtime_ended_is_refused(client, employee):
    make_record(employee, end="22:00")
    response = submit(client, ride="21:30")
    assert "30 minutes before the overtime ended (22:00)" in page(response)


def test_the_maximum_per_ride_boundary(client, employee):
    make_record(employee)
    over = submit(client, amount="100.01")
    assert "¥100.01 is ¥0.01 over the maximum per ride (¥100.00)" in page(over)


def test_a_receipt_is_required_above_the_amount(client, employee):
    make_record(employee)
    response = submit(client, amount="50.01")
    assert "A receipt is required for rides over ¥50.00." in page(response)
    assert submit(client, amount="50.00").status_code == 303


def test_the_monthly_cap_crossed_mid_claim_says_the_total_and_the_excess(client, employee):
    for day in (1, 2, 3, 4, 7, 8):
        make_record(employee, day=date(2026, 12, day))
    for day in (1, 2, 3, 4, 7):  # 5 × 50 = 250 of the 300 cap
        assert submit(client, day=date(2026, 12, day), amount="50.00").status_code == 303
    response = submit(client, day=date(2026, 12, 8), amount="50.00")
    assert response.status_code == 303  # exactly 300: still within
    make_record(employee, day=date(2026, 12, 9))
    over = submit(client, day=date(2026, 12, 9), amount="0.50")
    assert "come to ¥300.50, ¥0.50 over the monthly cap (¥300.00)" in page(over)


def test_no_record_or_a_record_without_an_end_is_not_eligible(client, employee):
    assert "There is no overtime record for this evening" in page(submit(client))
    make_record(employee, end=None)
    assert "has no end time yet" in page(submit(client))


def test_a_holiday_is_refused_when_the_policy_says_so_and_a_rest_day_uses_its_own_end(
        client, employee):
    db.session.add(CompanyDay(day=EVENING, kind=HOLIDAY, name="公司庆典"))
    db.session.commit()
    make_record(employee)
    assert "on a holiday (公司庆典) are not subsidised" in page(submit(client))
    saturday = date(2026, 12, 5)
    make_record(employee, day=saturday, start="09:00", end="18:30")
    assert submit(client, day=saturday, ride="18:40").status_code == 303


def test_a_policy_changed_mid_month_applies_by_the_ride_date(client, employee):
    make_policy(date(2026, 12, 10), max_per_ride_cents=6000)
    make_record(employee, day=date(2026, 12, 9))
    make_record(employee, day=date(2026, 12, 10))
    # 80 needs a receipt (above 50): refused, and says so
    assert submit(client, day=date(2026, 12, 9), amount="80.00").status_code == 422
    before = submit(client, day=date(2026, 12, 9), ride="23:50", amount="50.00")
    assert before.status_code == 303
    after = submit(client, day=date(2026, 12, 10), ride="22:10", amount="70.00")
    assert "¥70.00 is ¥10.00 over the maximum per ride (¥60.00)" in page(after)


def test_messages_come_in_the_readers_language(client, cast, auth, policy, at):
    cast.employee.language = "zh_CN"
    db.session.commit()
    db.session.expire_all()
    auth.login(cast.employee)
    make_record(cast.employee, end="20:45")
    response = submit(client, ride="20:50")
    assert "比最早可报销的结束时间（21:00）早 15 分钟" in page(response)
    assert "minutes before the earliest" not in page(response)


def test_the_checks_run_again_on_every_edit(client, employee):
    make_record(employee)
    submit(client)
    claim = db.session.scalar(db.select(Claim))
    page_ = client.get(f"/overtime/claims/{claim.id}/edit").get_data(as_text=True)
    assert 'value="45.00"' in page_ and 'value="宝安区"' in page_
    edited = client.post(f"/overtime/claims/{claim.id}/edit",
                         data=claim_form(amount="130.00", ride="next 01:00"))
    text = page(edited)
    assert edited.status_code == 422
    assert "¥130.00 is ¥30.00 over the maximum per ride" in text
    assert "60 minutes after the latest start allowed" in text
    db.session.expire_all()
    assert (claim.amount_cents, claim.round) == (4500, 1)
