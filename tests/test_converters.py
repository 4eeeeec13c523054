"""Days in URLs: <date:…> hands the view a date the calendar can compute with, or answers 404."""

from datetime import date

import pytest
from flask import url_for

from portal.converters import date_arg

MONDAY = date(2026, 11, 30)


@pytest.mark.parametrize("day", ["2026-13-01", "2026-02-30", "1899-12-31", "3000-01-01",
                                 "9999-12-31", "0001-01-01", "2026-1-5", "monday"])
def test_a_day_that_is_no_day_or_beyond_the_calendar_is_not_found(client, auth, make_user, day):
    auth.login(make_user("employee", "canteen"))
    assert client.get(f"/canteen/manage/{day}").status_code == 404
    assert client.get(f"/canteen/rate/{day}").status_code == 404


def test_a_week_is_named_by_its_monday_and_another_day_there_is_not_found(client, auth,
                                                                          make_user):
    auth.login(make_user("employee", "canteen"))
    assert client.get(f"/canteen/manage/{MONDAY}").status_code == 200
    assert client.get("/canteen/manage/2026-12-01").status_code == 404


def test_url_for_takes_a_date_or_its_iso_text(app):
    with app.test_request_context():
        assert url_for("canteen.edit_week", monday=MONDAY) == "/canteen/manage/2026-11-30"
        assert url_for("canteen.edit_week", monday="2026-11-30") == "/canteen/manage/2026-11-30"


def test_a_query_string_day_falls_back_to_the_default_when_it_is_no_day(app):
    default = date(2026, 12, 7)
    for query, expected in (("week=2026-11-30", MONDAY), ("week=9999-12-31", default),
                            ("week=yesterday", default), ("", default)):
        with app.test_request_context(f"/?{query}"):
            assert date_arg("week", default) == expected, query


def test_removing_a_calendar_day_with_a_broken_date_is_not_found(client, auth, make_user):
    auth.login(make_user("office"))
    assert client.post("/admin/calendar/days/2026-02-30/delete").status_code == 404
    assert client.post("/admin/calendar/days/2026-10-01/delete").status_code == 404  # no entry
