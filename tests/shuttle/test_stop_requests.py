"""New-stop requests: grouped by district for facilities, answered by the outcome rules."""

import re

from portal.blueprints.notifications.models import Notification
from portal.blueprints.shuttle.models import StopRequest
from portal.extensions import db


def _ask(client, district, place):
    return client.post("/shuttle/requests", data={"district_id": district.id, "where": place})


def _answer(client, asked, **data):
    return client.post(f"/shuttle/manage/requests/{asked.id}/answer", data=data)


def test_requests_are_grouped_by_district_most_demand_first(client, auth, make_user, network,
                                                            at):
    for place, district in (("南湖公园", network.south), ("南站东", network.south),
                            ("钟楼", network.old_town)):
        auth.login(make_user("employee"))
        assert _ask(client, district, place).status_code == 303
        auth.logout()
    auth.login(make_user("employee", "facilities"))
    html = client.get("/shuttle/manage/requests").get_data(as_text=True)
    assert html.index("城南") < html.index("老城区")
    assert "待处理 2 / 共 2" in html and "南湖公园" in html and "钟楼" in html


def test_declined_needs_a_reason_and_planned_needs_a_date(client, auth, make_user, network, at):
    at("2026-12-07 10:00")
    asker = make_user("employee")
    auth.login(asker)
    _ask(client, network.south, "南湖公园")
    auth.logout()
    asked = db.session.scalars(db.select(StopRequest)).one()
    auth.login(make_user("employee", "facilities"))
    declined = _answer(client, asked, outcome="declined", reason="")
    assert declined.status_code == 422
    assert re.search(r'id="reason-error" data-error>请说明不采纳的原因。',
                     declined.get_data(as_text=True))
    planned = _answer(client, asked, outcome="planned", planned_on="")
    assert re.search(r'id="planned_on-error" data-error>请填写计划完成的日期。',
                     planned.get_data(as_text=True))
    past = _answer(client, asked, outcome="planned", planned_on="2026-12-01", reason="")
    assert re.search(r'id="planned_on-error" data-error>目标日期已经过去。',
                     past.get_data(as_text=True))  # the suggestions module's rule and words
    assert _answer(client, asked, outcome="planned", planned_on="2027-01-04",
                   reason="春节后开通").status_code == 303
    db.session.refresh(asked)
    assert asked.outcome == "planned" and str(asked.planned_on) == "2027-01-04"
    note = db.session.scalars(db.select(Notification)).one()
    assert note.user_id == asker.id and note.title == "您的新增站点申请已答复：已列入计划"
    auth.logout()
    auth.login(asker)
    mine = client.get("/shuttle/requests").get_data(as_text=True)
    assert "已列入计划" in mine and "自 2027-01-04 起" in mine and "春节后开通" in mine


def test_the_outcome_rules_are_the_suggestions_modules(app):
    from datetime import date

    from portal.blueprints.shuttle.stop_requests import check_outcome

    today = date(2026, 12, 7)
    assert check_outcome("solved", None, "", today) == {}
    assert set(check_outcome("declined", None, " ", today)) == {"reason"}
    assert set(check_outcome("planned", date(2026, 12, 1), "", today)) == {"planned_on"}
    assert set(check_outcome("maybe", None, "", today)) == {"outcome"}
    from portal.blueprints.suggestions.answers import outcome_errors

    assert check_outcome("declined", None, "", today) == {
        "reason": outcome_errors("declined", "", None, today)["reason"]}


def test_an_empty_request_keeps_what_was_typed(client, auth, make_user, network, at):
    auth.login(make_user("employee"))
    response = client.post("/shuttle/requests", data={"district_id": 0, "where": "小学路口"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "请选择您的区域。" in html and "小学路口" in html


def test_employees_cannot_answer(client, auth, make_user, network, at):
    auth.login(make_user("employee"))
    _ask(client, network.south, "南湖公园")
    asked = db.session.scalars(db.select(StopRequest)).one()
    assert client.get("/shuttle/manage/requests").status_code == 403
    assert _answer(client, asked, outcome="solved").status_code == 403
