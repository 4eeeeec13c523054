"""Overtime meets the shuttle: a claim says when a late run left after the overtime and served
the employee's home district (the approver sees it too); the shuttle's coverage page shows the
month's taxi spend per home district, small districts left out."""

import re
from datetime import date

from sqlalchemy import select

from portal.blueprints.overtime.models import Claim
from portal.blueprints.shuttle.models import LATE, District, Home, Stop
from portal.extensions import db
from tests.overtime.conftest import EVENING, claim_form, local, make_record
from tests.shuttle.conftest import publish_route


def _late_run(leaves="21:30", weekdays="12345"):
    """A late run from the factory to the Old Town; returns the Old Town and its stop."""
    old_town = District(name="老城区", name_en="Old Town")
    factory = District(name="厂区", name_en="Factory")
    db.session.add_all([old_town, factory])
    db.session.flush()
    gate = Stop(name="工厂正门", district_id=factory.id)
    drum_tower = Stop(name="鼓楼", district_id=old_town.id)
    db.session.add_all([gate, drum_tower])
    db.session.commit()
    publish_route("夜班车", LATE, [(gate, leaves), (drum_tower, "22:10")], weekdays=weekdays)
    return old_town


def _lives_in(user, district):
    db.session.add(Home(user_id=user.id, district_id=district.id))
    db.session.commit()


def test_the_claim_and_its_approver_see_the_late_run_that_served_the_district(
        client, auth, cast, policy, at):
    _lives_in(cast.employee, _late_run(leaves="21:30"))
    make_record(cast.employee, end="21:00")
    auth.login(cast.employee)
    form = client.get(f"/overtime/claims/new?day={EVENING}").get_data(as_text=True)
    assert ("A late shuttle run served your district that evening: 21:30 夜班车, Old Town"
            in form)
    data = claim_form(ride="21:20", amount="40.00")
    assert client.post("/overtime/claims/new", data=data).status_code == 303
    claim = db.session.scalar(select(Claim))
    auth.logout()
    auth.login(cast.head)
    page = client.get(f"/overtime/claims/{claim.id}").get_data(as_text=True)
    assert ("A late shuttle run served this district that evening: 21:30 夜班车, Old Town"
            in page)


def test_no_late_run_is_named_when_it_left_before_the_overtime_ended_or_did_not_run(
        client, auth, cast, policy, at):
    old_town = _late_run(leaves="21:30", weekdays="12")  # Monday and Tuesday only
    _lives_in(cast.employee, old_town)
    make_record(cast.employee, end="21:00")  # a Wednesday: the run does not run
    make_record(cast.employee, day=date(2026, 12, 1), end="22:00")  # Tuesday: it had left
    auth.login(cast.employee)
    for day in (EVENING, date(2026, 12, 1)):
        form = client.get(f"/overtime/claims/new?day={day}").get_data(as_text=True)
        assert "A late shuttle run served" not in form


def test_no_late_run_is_named_for_someone_whose_home_district_is_another(
        client, auth, cast, policy, at):
    _late_run(leaves="21:30")
    elsewhere = District(name="城南", name_en="Chengnan")
    db.session.add(elsewhere)
    db.session.commit()
    _lives_in(cast.employee, elsewhere)
    make_record(cast.employee, end="21:00")
    auth.login(cast.employee)
    form = client.get(f"/overtime/claims/new?day={EVENING}").get_data(as_text=True)
    assert "A late shuttle run served" not in form


def test_the_shuttle_coverage_page_shows_taxi_spend_per_home_district(
        client, auth, make_user, cast, at):
    def approved(district, count, cents):
        for _ in range(count):
            person = make_user("employee")
            db.session.add(Claim(user_id=person.id, day=EVENING, month="2026-12",
                                 from_district="南山区", to_district=district,
                                 ride_at=local(2026, 12, 2, 22, 10), amount_cents=cents,
                                 status="approved"))
        db.session.commit()

    approved("宝安区", 5, 4500)
    approved("龙岗区", 2, 9000)  # two people: not shown
    auth.login(make_user("employee", "facilities"))
    page = client.get("/shuttle/coverage?month=2026-12").get_data(as_text=True)
    taxis = page.split('id="taxi-title"', 1)[1]
    assert re.search(r"宝安区</th><td class=\"num\">5</td><td class=\"num\">¥225.00", taxis)
    assert "龙岗区" not in taxis
    other = client.get("/shuttle/coverage?month=2026-11").get_data(as_text=True)
    assert "宝安区" not in other.split('id="taxi-title"', 1)[1]
    assert client.get("/shuttle/coverage?month=bogus").status_code == 200
