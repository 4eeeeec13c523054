"""The evening's record: on the phone (the outbox replays once), the night meal booked and
cancelled in the same step, and the head confirming a week at once."""

import re
import uuid
from datetime import date

import pytest
from sqlalchemy import func, select

from portal.blueprints.canteen.models import NightReservation
from portal.blueprints.overtime.models import OvertimeRecord
from portal.extensions import db
from tests.canteen.conftest import fill_week
from tests.conftest import signed_in_with_csrf
from tests.overtime.conftest import EVENING, make_record

TODAY = date(2026, 12, 2)


@pytest.fixture
def menu(app, at):
    from tests.canteen.conftest import make_dish

    dishes = {name: make_dish(name) for name in
              ("小米粥", "宫保鸡丁", "清炒时蔬", "清蒸鲈鱼", "牛肉拉面", "水饺")}
    db.session.commit()
    fill_week(date(2026, 11, 30), dishes)
    return dishes


def record_form(**extra) -> dict:
    return {"day": TODAY.isoformat(), "start_time": "18:00", "end_time": "",
            "expected_end": "22:00", "reason": "版本发布", **extra}


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_recording_before_the_cut_off_books_the_night_meal_in_the_same_step(
        client, auth, cast, menu, at):
    at("2026-12-02 16:00")
    auth.login(cast.employee)
    page = client.get("/overtime/").get_data(as_text=True)
    assert "Night meal tonight" in page and "牛肉拉面" in page
    response = client.post("/overtime/record", data=record_form(
        night_meal=str(menu["牛肉拉面"].id)))
    assert response.status_code == 303
    reservation = db.session.scalar(select(NightReservation))
    assert (reservation.user_id, reservation.day) == (cast.employee.id, TODAY)
    record = db.session.scalar(select(OvertimeRecord))
    assert (record.expected_end, record.end_time, record.eligible) == ("22:00", None, False)


def test_after_the_cut_off_no_night_meal_is_offered(client, auth, cast, menu, at):
    at("2026-12-02 18:00")
    auth.login(cast.employee)
    assert "Night meal tonight" not in client.get("/overtime/").get_data(as_text=True)


def test_cancelling_the_overtime_offers_and_cancels_the_night_meal(client, auth, cast, menu, at):
    at("2026-12-02 16:00")
    auth.login(cast.employee)
    client.post("/overtime/record", data=record_form(night_meal=str(menu["水饺"].id)))
    page = client.get("/overtime/").get_data(as_text=True)
    assert "Also cancel tonight" in page
    record = db.session.scalar(select(OvertimeRecord))
    response = client.post(f"/overtime/records/{record.id}/cancel", data={"cancel_meal": "y"},
                           follow_redirects=True)
    assert "night meal with it" in response.get_data(as_text=True)
    assert (count(OvertimeRecord), count(NightReservation)) == (0, 0)


def test_cancelling_the_night_meal_here_offers_to_cancel_the_overtime(
        client, auth, cast, menu, at):
    at("2026-12-02 16:00")
    auth.login(cast.employee)
    client.post("/overtime/record", data=record_form(night_meal=str(menu["水饺"].id)))
    page = client.post("/overtime/night-meal/cancel", follow_redirects=True).get_data(
        as_text=True)
    assert "cancel the overtime below too" in page and "Cancel the overtime" in page
    assert (count(OvertimeRecord), count(NightReservation)) == (1, 0)


def test_cancelling_the_night_meal_on_the_canteen_page_offers_to_cancel_the_overtime(
        client, auth, cast, menu, at):
    at("2026-12-02 16:00")
    auth.login(cast.employee)
    client.post("/overtime/record", data=record_form(night_meal=str(menu["水饺"].id)))
    page = client.post("/canteen/night/cancel", follow_redirects=True).get_data(as_text=True)
    assert "You also recorded overtime tonight" in page
    assert (count(OvertimeRecord), count(NightReservation)) == (1, 0)
    record = db.session.scalar(select(OvertimeRecord))
    assert f'action="/overtime/records/{record.id}/cancel"' in page
    response = client.post(f"/overtime/records/{record.id}/cancel", follow_redirects=True)
    assert "Overtime cancelled." in response.get_data(as_text=True)
    assert count(OvertimeRecord) == 0
    # The offer is for the moment after a cancellation, not every visit to the menu.
    assert "You also recorded overtime" not in client.get("/canteen/").get_data(as_text=True)


def test_no_end_nor_expected_end_is_refused_beside_the_field(client, auth, cast, at):
    at("2026-12-02 16:00")
    auth.login(cast.employee)
    response = client.post("/overtime/record", data=record_form(expected_end=""))
    assert response.status_code == 422
    assert "Give the end, or the expected end" in response.get_data(as_text=True)
    assert count(OvertimeRecord) == 0


def test_an_outbox_replay_records_the_evening_once(client, auth, cast, at):
    at("2026-12-02 23:00")
    auth.login(cast.employee)
    key = str(uuid.uuid4())
    for _ in range(2):
        response = client.post("/overtime/record", data=record_form(end_time="22:40"),
                               headers={"X-Outbox-Id": key})
        assert response.status_code == 303
    assert count(OvertimeRecord) == 1
    assert db.session.scalar(select(OvertimeRecord)).end_time == "22:40"


def test_the_head_confirms_a_week_in_one_action_but_not_records_without_end(
        client, auth, cast, at):
    done = make_record(cast.employee)
    open_ = make_record(cast.colleague, end=None)
    make_record(cast.outsider)  # another department: not theirs
    auth.login(cast.head)
    page = client.get(f"/overtime/team?week={EVENING.isoformat()}").get_data(as_text=True)
    assert "王小明" in page and "张三" in page and "孙丽" not in page
    response = client.post(f"/overtime/team/confirm?week={EVENING.isoformat()}",
                           follow_redirects=True)
    assert "1 records confirmed" in response.get_data(as_text=True)
    db.session.expire_all()
    assert done.confirmed and not open_.confirmed


def test_an_employee_cannot_open_the_team_page(client, auth, cast, at):
    auth.login(cast.employee)
    assert client.get("/overtime/team").status_code == 403


def test_a_night_meal_the_canteen_refuses_is_said_beside_the_meal_and_nothing_is_saved(
        client, auth, cast, menu, at):
    at("2026-12-02 16:00")
    auth.login(cast.employee)
    db.session.add(NightReservation(user_id=cast.employee.id, day=TODAY,
                                    dish_id=menu["水饺"].id))
    db.session.commit()
    response = client.post("/overtime/record", data=record_form(
        night_meal=str(menu["牛肉拉面"].id)))
    assert response.status_code == 422
    assert 'id="night_meal-error"' in response.get_data(as_text=True)
    assert count(OvertimeRecord) == 0


def test_the_overtime_page_is_each_person_s_own_and_follows_their_edits(csrf_app, cast, at):
    """The page's content is kept per what it shows: two people whose pages would be alike but
    for their records each get their own, with their own form token, and an edit shows at once."""
    at("2026-12-02 19:00")
    make_record(cast.employee, day=TODAY, start="18:30", end=None, reason="版本发布")
    pages = {}
    for person in (cast.employee, cast.colleague):
        client = signed_in_with_csrf(csrf_app, person)
        client.get("/overtime/")
        page = client.get("/overtime/").get_data(as_text=True)  # the kept content
        pages[person.name] = (client, page, set(re.findall(
            r'name="csrf_token" value="([^"]+)"', page)))
    client, page, tokens = pages[cast.employee.name]
    assert "Tonight's overtime" in page and 'value="版本发布"' in page and len(tokens) == 1
    other_client, other_page, other_tokens = pages[cast.colleague.name]
    assert "版本发布" not in other_page and "Tonight's overtime" not in other_page
    assert len(other_tokens) == 1 and tokens != other_tokens

    edit = {**record_form(reason="联调"), "csrf_token": other_tokens.pop()}
    assert client.post("/overtime/record", data=edit).status_code == 400  # another's token
    edit["csrf_token"] = tokens.pop()
    assert client.post("/overtime/record", data=edit).status_code == 303
    page = client.get("/overtime/").get_data(as_text=True)
    assert 'value="联调"' in page and "版本发布" not in page
    assert "联调" not in other_client.get("/overtime/").get_data(as_text=True)
