"""Wrong role, wrong person, wrong state: refused with 403, or with a message the person sees."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from portal.blueprints.repairs import services
from portal.blueprints.repairs.models import RepairRequest
from portal.extensions import db

HTMX = {"HX-Request": "true", "HX-Request-Type": "partial"}


def _request_in(cast, state: str) -> RepairRequest:
    """A request moved by the services up to `state` (assigned to cast.tech)."""
    repair = services.submit_request(cast.requester, {
        "category": "aircon", "urgency": "normal", "location_id": cast.room.id,
        "description": "空调漏水"}, [])
    steps = ["accepted", "in_progress", "resolved", "confirmed"]
    if state in steps:
        services.accept(repair, cast.tech, cast.tech)
    if state in steps[1:]:
        services.start(repair, cast.tech)
    if state in steps[2:]:
        services.resolve(repair, cast.tech, "已修好")
    if state == "confirmed":
        services.confirm(repair, cast.requester)
    db.session.commit()
    return repair


def _fresh(repair_id: int) -> RepairRequest:
    db.session.expire_all()
    return db.session.get(RepairRequest, repair_id)


def _as(auth, person):
    auth.logout()
    auth.login(person)


def test_only_the_requester_may_rate(client, auth, cast):
    repair = _request_in(cast, "confirmed")
    for person in (cast.head, cast.tech, cast.lead, cast.office):
        _as(auth, person)
        response = client.post(f"/repairs/{repair.id}/rate", data={"rating": "1"})
        assert response.status_code == 403, person.name
    assert _fresh(repair.id).rating is None


def test_the_department_head_may_see_but_not_confirm_or_reopen(client, auth, cast):
    repair = _request_in(cast, "resolved")
    _as(auth, cast.head)
    assert client.get(f"/repairs/{repair.id}").status_code == 200
    assert client.post(f"/repairs/{repair.id}/confirm").status_code == 403
    assert client.post(f"/repairs/{repair.id}/reopen",
                       data={"reason": "还是坏的"}).status_code == 403
    assert _fresh(repair.id).status == "resolved"


def test_another_technician_may_not_resolve_someone_elses_job(client, auth, cast):
    repair = _request_in(cast, "in_progress")
    _as(auth, cast.other_tech)
    response = client.post(f"/repairs/{repair.id}/resolve", data={"resolution": "我修好了"})
    assert response.status_code == 403
    assert _fresh(repair.id).status == "in_progress"


def test_the_office_may_look_but_not_start_or_resolve(client, auth, cast):
    accepted = _request_in(cast, "accepted")
    working = _request_in(cast, "in_progress")
    _as(auth, cast.office)
    assert client.post(f"/repairs/{accepted.id}/start").status_code == 403
    assert client.post(f"/repairs/{working.id}/resolve",
                       data={"resolution": "办公室说修好了"}).status_code == 403
    assert (_fresh(accepted.id).status, _fresh(working.id).status) == ("accepted", "in_progress")


def test_employees_and_heads_may_not_bulk_assign(client, auth, cast):
    repair = _request_in(cast, "submitted")
    for person in (cast.requester, cast.head):
        _as(auth, person)
        response = client.post("/repairs/queue/assign",
                               data={"ids": [repair.id], "assignee_id": cast.tech.id})
        assert response.status_code == 403, person.name
    assert _fresh(repair.id).assignee_id is None


def test_confirming_before_the_fix_is_refused_with_a_message(client, auth, cast):
    repair = _request_in(cast, "in_progress")
    _as(auth, cast.requester)
    response = client.post(f"/repairs/{repair.id}/confirm", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "此操作现在不可用：报修单当前状态为“维修中”。" in page
    assert _fresh(repair.id).status == "in_progress"


def test_rating_before_confirming_is_refused_with_a_message_even_with_an_empty_form(client, auth,
                                                                                     cast):
    repair = _request_in(cast, "resolved")
    _as(auth, cast.requester)
    for data in ({"rating": "5"}, {}):
        page = client.post(f"/repairs/{repair.id}/rate", data=data,
                           follow_redirects=True).get_data(as_text=True)
        assert "此操作现在不可用：报修单当前状态为“已修复”。" in page
    assert _fresh(repair.id).rating is None


def test_reopening_twice_is_refused_with_a_message(client, auth, cast):
    repair = _request_in(cast, "resolved")
    _as(auth, cast.requester)
    first = client.post(f"/repairs/{repair.id}/reopen", data={"reason": "又漏水了"})
    assert first.status_code == 303
    for data in ({"reason": "还在漏水"}, {"reason": ""}):  # a second tap, or a stale page
        response = client.post(f"/repairs/{repair.id}/reopen", data=data, follow_redirects=True)
        assert "此操作现在不可用：报修单当前状态为“已重开”。" in response.get_data(as_text=True)
    events = [e.action for e in _fresh(repair.id).events]
    assert events.count("reopened") == 1


def test_resolving_a_request_already_resolved_says_so(client, auth, cast):
    repair = _request_in(cast, "resolved")
    _as(auth, cast.tech)
    page = client.post(f"/repairs/{repair.id}/resolve", data={"resolution": "再修一次"},
                       follow_redirects=True).get_data(as_text=True)
    assert "此操作现在不可用" in page
    assert _fresh(repair.id).resolution == "已修好"


def test_a_stale_queue_button_answers_with_the_message_in_the_card_not_a_later_flash(client, auth,
                                                                                      cast):
    repair = _request_in(cast, "in_progress")
    _as(auth, cast.tech)
    response = client.post(f"/repairs/{repair.id}/start", headers=HTMX)
    body = response.get_data(as_text=True)
    assert response.status_code == 409
    assert body.lstrip().startswith(f'<li class="card repair-card" id="repair-{repair.id}"')
    assert 'role="alert"' in body and "此操作现在不可用：报修单当前状态为“维修中”。" in body
    later = client.get("/repairs/").get_data(as_text=True)
    assert "此操作现在不可用" not in later  # nothing left waiting in the session
    assert db.session.scalar(select(RepairRequest.status)) == "in_progress"


def test_a_refused_step_speaks_the_readers_language(client, auth, cast):
    repair = _request_in(cast, "in_progress")
    cast.requester.language = "en"
    db.session.commit()
    auth.login(cast.requester)
    page = client.post(f"/repairs/{repair.id}/confirm", follow_redirects=True).get_data(True)
    assert "This step is not possible now: the request is “In progress”." in page
    assert "此操作" not in page


def test_my_requests_page_is_kept_per_its_rows_and_follows_status_and_the_clock(
        client, auth, cast, time_machine):
    """The page is kept per its rows and which of them are overdue now: the requester and their
    head each see theirs, a colleague nothing, and a new status or a passed deadline shows."""
    time_machine.move_to(datetime.now(UTC), tick=False)
    repair = _request_in(cast, "submitted")
    _as(auth, cast.requester)
    page = client.get("/repairs/").get_data(as_text=True)
    assert repair.number in page and "已超时" not in page and "已受理" not in page
    _as(auth, cast.colleague)
    assert repair.number not in client.get("/repairs/").get_data(as_text=True)
    _as(auth, cast.head)
    assert repair.number in client.get("/repairs/").get_data(as_text=True)
    _as(auth, cast.requester)
    time_machine.shift(timedelta(days=3))  # past the response deadline
    assert "已超时" in client.get("/repairs/").get_data(as_text=True)
    services.accept(repair, cast.tech, cast.tech)
    db.session.commit()
    page = client.get("/repairs/").get_data(as_text=True)
    assert "已受理" in page
