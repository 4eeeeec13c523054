"""Approval: the head then the office; return with a reason and resubmit (every round kept,
stale approvals not counting); stand-ins; nobody approves their own claim; reminders once per
wait; privacy of the receipt."""

import io
from datetime import date

import pytest
from sqlalchemy import select

from portal.blueprints.notifications.models import Notification
from portal.blueprints.overtime import approvals
from portal.blueprints.overtime.models import Claim, OvertimeSettings, StandIn
from portal.extensions import db
from tests.overtime.conftest import claim_form, make_record
from tests.repairs.conftest import image_bytes


@pytest.fixture
def filed(client, auth, cast, policy, at):
    """The employee's claim with a receipt photo, waiting for the head; nobody signed in."""
    make_record(cast.employee)
    auth.login(cast.employee)
    data = claim_form(amount="60.00") | {"receipt": (io.BytesIO(image_bytes()), "r.jpg")}
    assert client.post("/overtime/claims/new", data=data,
                       content_type="multipart/form-data").status_code == 303
    auth.logout()
    return db.session.scalar(select(Claim))


def as_(auth, person):
    auth.logout()
    auth.login(person)


def test_head_then_office_approve_with_return_and_resubmit_keeping_every_round(
        client, auth, cast, filed):
    as_(auth, cast.head)
    assert "王小明" in client.get("/overtime/approvals").get_data(as_text=True)
    assert client.post(f"/overtime/claims/{filed.id}/approve").status_code == 303
    as_(auth, cast.office)
    missing = client.post(f"/overtime/claims/{filed.id}/return", data={"reason": ""})
    assert missing.status_code == 422 and "This field is required" in missing.get_data(
        as_text=True)
    client.post(f"/overtime/claims/{filed.id}/return", data={"reason": "发票抬头不对"})
    db.session.expire_all()
    assert filed.status == "returned"
    as_(auth, cast.employee)
    page = client.get(f"/overtime/claims/{filed.id}").get_data(as_text=True)
    assert "发票抬头不对" in page
    assert client.post(f"/overtime/claims/{filed.id}/edit",
                       data=claim_form(amount="58.00")).status_code == 303
    db.session.expire_all()
    assert (filed.status, filed.round, filed.amount_cents) == ("head", 2, 5800)
    assert approvals.current_approvals(filed) == []  # round 1's head approval is stale
    as_(auth, cast.office)  # the office cannot skip the head in the new round
    assert client.post(f"/overtime/claims/{filed.id}/approve").status_code == 403
    as_(auth, cast.head)
    client.post(f"/overtime/claims/{filed.id}/approve")
    as_(auth, cast.office)
    client.post(f"/overtime/claims/{filed.id}/approve")
    db.session.expire_all()
    assert filed.status == "approved"
    assert [(s.round, s.stage, s.action) for s in filed.steps] == [
        (1, "employee", "submitted"), (1, "head", "approved"), (1, "office", "returned"),
        (2, "employee", "submitted"), (2, "head", "approved"), (2, "office", "approved")]
    page = client.get(f"/overtime/claims/{filed.id}").get_data(as_text=True)
    assert "earlier round: no longer counts" in page


def test_a_stand_in_approves_for_the_head_within_the_dates_only(client, auth, cast, filed, at):
    as_(auth, cast.head)
    response = client.post("/overtime/stand-ins", data={
        "stand_in": cast.colleague.employee_no, "first_day": "2026-12-03",
        "last_day": "2026-12-04"})
    assert response.status_code == 303
    assert db.session.scalar(select(StandIn)).stand_in_id == cast.colleague.id
    as_(auth, cast.colleague)
    assert "王小明" in client.get("/overtime/approvals").get_data(as_text=True)
    assert client.post(f"/overtime/claims/{filed.id}/approve").status_code == 303
    db.session.expire_all()
    step = filed.steps[-1]
    assert (step.actor_id, step.on_behalf_of_id) == (cast.colleague.id, cast.head.id)


def test_a_stand_in_outside_the_dates_cannot_open_nor_approve(client, auth, cast, filed, at):
    db.session.add(StandIn(approver_id=cast.head.id, stand_in_id=cast.colleague.id,
                           first_day=date(2026, 12, 10), last_day=date(2026, 12, 11)))
    db.session.commit()
    as_(auth, cast.colleague)
    assert client.post(f"/overtime/claims/{filed.id}/approve").status_code == 404


def test_nobody_approves_their_own_claim_and_a_heads_claim_goes_to_the_office(
        client, auth, cast, policy, at):
    make_record(cast.head)
    auth.login(cast.head)
    client.post("/overtime/claims/new", data=claim_form())
    claim = db.session.scalar(select(Claim))
    assert claim.status == "office"
    assert client.post(f"/overtime/claims/{claim.id}/approve").status_code == 403
    make_record(cast.office)
    as_(auth, cast.office)
    client.post("/overtime/claims/new", data=claim_form())
    own = db.session.scalar(select(Claim).where(Claim.user_id == cast.office.id))
    assert own.status == "office"
    assert client.post(f"/overtime/claims/{own.id}/approve").status_code == 403
    as_(auth, cast.other_office)
    assert client.post(f"/overtime/claims/{own.id}/approve").status_code == 303


def test_someone_elses_claim_is_404_and_the_receipt_only_for_employee_and_office(
        client, auth, cast, filed):
    as_(auth, cast.outsider)
    assert client.get(f"/overtime/claims/{filed.id}").status_code == 404
    as_(auth, cast.colleague)
    assert client.get(f"/overtime/claims/{filed.id}").status_code == 404
    as_(auth, cast.head)
    page = client.get(f"/overtime/claims/{filed.id}").get_data(as_text=True)
    assert "宝安区" in page and "¥60.00" in page and "Open the receipt" not in page
    assert client.get(f"/overtime/claims/{filed.id}/receipt").status_code == 404
    as_(auth, cast.office)
    assert client.get(f"/overtime/claims/{filed.id}/receipt").status_code == 200
    as_(auth, cast.employee)
    assert client.get(f"/overtime/claims/{filed.id}/receipt").status_code == 200


def _notes(person) -> list[str]:
    return list(db.session.scalars(select(Notification.title)
                                   .where(Notification.user_id == person.id)))


def test_reminders_go_once_per_wait(client, auth, cast, filed, at, run_jobs):
    from portal.queue import enqueue

    db.session.add(OvertimeSettings(reminder_hours=24, receipt_retention_days=730))
    db.session.commit()
    at("2026-12-03 20:00")  # 11 hours: not yet
    enqueue("portal.blueprints.overtime.jobs.remind_waiting_claims")
    run_jobs()
    assert _notes(cast.head) == []
    at("2026-12-04 10:00")
    for _ in range(2):
        enqueue("portal.blueprints.overtime.jobs.remind_waiting_claims")
        run_jobs()
    assert len(_notes(cast.head)) == 1
    as_(auth, cast.head)
    client.post(f"/overtime/claims/{filed.id}/approve")  # a new wait: at the office
    at("2026-12-05 11:00")
    enqueue("portal.blueprints.overtime.jobs.remind_waiting_claims")
    run_jobs()
    assert len(_notes(cast.head)) == 1
    assert len(_notes(cast.office)) == 1 and len(_notes(cast.other_office)) == 1


def test_receipts_are_removed_after_the_retention_period(client, auth, cast, filed, at,
                                                          run_jobs):
    from portal.queue import enqueue

    db.session.add(OvertimeSettings(reminder_hours=24, receipt_retention_days=30))
    db.session.commit()
    at("2027-01-10 03:40")
    enqueue("portal.blueprints.overtime.jobs.purge_receipts")
    run_jobs()
    db.session.expire_all()
    assert not filed.has_receipt and filed.amount_cents == 6000
    as_(auth, cast.employee)
    assert client.get(f"/overtime/claims/{filed.id}/receipt").status_code == 404
