"""Workflow buttons come from services.next_steps: the pages show exactly the steps open to me."""

import re

from portal.blueprints.repairs import services
from portal.blueprints.repairs.models import IN_PROGRESS, RepairRequest
from portal.extensions import db

HTMX = {"HX-Request": "true"}


def _file(cast) -> RepairRequest:
    data = {"category": "aircon", "urgency": "normal", "location_id": cast.room.id,
            "description": "空调不制冷"}
    repair = services.submit_request(cast.requester, data, [])
    db.session.commit()
    return repair


def _given_to_tech(cast) -> RepairRequest:
    repair = _file(cast)
    services.accept(repair, cast.lead, cast.tech)
    db.session.commit()
    return repair


def _queue_card(client, repair: RepairRequest) -> str:
    page = client.get("/repairs/queue").get_data(as_text=True)
    start = page.index(f'id="repair-{repair.id}"')
    return page[start:page.index("</li>", start)]


def test_the_lead_sees_start_on_a_job_given_to_a_technician_and_can_use_it(client, auth, cast):
    repair = _given_to_tech(cast)
    auth.login(cast.lead)
    card = _queue_card(client, repair)
    assert "开始维修" in card and f"/repairs/{repair.id}/start" in card
    detail = client.get(f"/repairs/{repair.id}").get_data(as_text=True)
    assert f'action="/repairs/{repair.id}/start"' in detail
    # The button the lead was shown works: the card comes back in progress, with "Resolve…".
    response = client.post(f"/repairs/{repair.id}/start", headers=HTMX)
    assert response.status_code == 200
    assert "完成维修…" in response.get_data(as_text=True)
    assert db.session.get(RepairRequest, repair.id).status == IN_PROGRESS


def test_another_technician_is_not_offered_start_on_a_job_not_theirs(client, auth, cast):
    repair = _given_to_tech(cast)
    auth.login(cast.other_tech)
    card = _queue_card(client, repair)
    assert "开始维修" not in card
    assert 'name="ids"' in card  # may still hand it to someone else
    assert f'action="/repairs/{repair.id}/start"' not in client.get(
        f"/repairs/{repair.id}").get_data(as_text=True)
    assert client.post(f"/repairs/{repair.id}/start").status_code == 403


def test_steps_follow_the_request_through_its_workflow(app, cast):
    repair = _file(cast)
    assert services.next_steps(repair, cast.tech) == ["accept"]
    assert services.next_steps(repair, cast.requester) == []
    assert services.next_steps(repair, cast.office) == []
    services.accept(repair, cast.tech, cast.tech)
    assert services.next_steps(repair, cast.tech) == ["reassign", "start"]
    assert services.next_steps(repair, cast.lead) == ["reassign", "start"]
    assert services.next_steps(repair, cast.other_tech) == ["reassign"]
    services.start(repair, cast.tech)
    assert services.next_steps(repair, cast.tech) == ["reassign", "resolve"]
    services.resolve(repair, cast.tech, "换了电容")
    assert services.next_steps(repair, cast.tech) == []
    assert services.next_steps(repair, cast.requester) == ["confirm", "reopen"]
    services.confirm(repair, cast.requester)
    assert services.next_steps(repair, cast.requester) == ["rate"]
    services.rate(repair, cast.requester, 5, "")
    assert services.next_steps(repair, cast.requester) == []


def test_a_closed_request_shows_no_next_step_section(client, auth, cast):
    repair = _file(cast)
    services.accept(repair, cast.tech, cast.tech)
    services.start(repair, cast.tech)
    services.resolve(repair, cast.tech, "换了电容")
    db.session.commit()
    auth.login(cast.tech)
    page = client.get(f"/repairs/{repair.id}").get_data(as_text=True)
    assert not re.search(r'<section class="panel steps"', page)
