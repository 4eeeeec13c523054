"""The same evening twice, the same invoice number twice (by anyone), refused with a pointer to
the first and enforced by the database under concurrency; the e-invoice PDF read and checked."""

import io
import threading
from datetime import date

import pytest
from sqlalchemy import func, select

from portal.blueprints.overtime.models import Claim
from portal.blueprints.overtime.receipts import read_pdf
from portal.extensions import db
from tests.factories import PASSWORD
from tests.overtime.conftest import claim_form, make_record
from tests.overtime.invoices import invoice_pdf
from tests.repairs.conftest import image_bytes


@pytest.fixture
def ready(cast, policy, at):
    make_record(cast.employee)
    make_record(cast.colleague)
    return cast


def claims() -> int:
    return db.session.scalar(select(func.count()).select_from(Claim))


def with_pdf(pdf: bytes, **fields) -> dict:
    return claim_form(**fields) | {"receipt": (io.BytesIO(pdf), "发票.pdf")}


def test_the_same_evening_twice_points_to_the_first_claim(client, auth, ready):
    auth.login(ready.employee)
    assert client.post("/overtime/claims/new", data=claim_form()).status_code == 303
    first = db.session.scalar(select(Claim))
    again = client.post("/overtime/claims/new", data=claim_form(amount="30.00"))
    assert again.status_code == 422
    assert f"already claimed: claim no. {first.id}" in again.get_data(as_text=True)
    assert claims() == 1


def test_the_same_invoice_number_used_by_someone_else_is_refused(client, auth, ready):
    auth.login(ready.employee)
    client.post("/overtime/claims/new", data=claim_form(invoice_no="24442000000123456789"))
    first = db.session.scalar(select(Claim))
    auth.logout()
    auth.login(ready.colleague)
    again = client.post("/overtime/claims/new",
                        data=claim_form(invoice_no="24442000000123456789"))
    assert f"is already on claim no. {first.id}" in again.get_data(as_text=True)
    assert claims() == 1


def test_the_e_invoice_pdf_is_read_number_date_and_amount():
    invoice = read_pdf(invoice_pdf())
    assert (invoice.number, invoice.issued, invoice.amount_cents) == (
        "24442000000123456789", date(2026, 12, 2), 4500)


def test_a_claim_with_an_e_invoice_is_filled_from_it(client, auth, ready):
    auth.login(ready.employee)
    response = client.post("/overtime/claims/new", data=with_pdf(invoice_pdf(), amount=""),
                           content_type="multipart/form-data")
    assert response.status_code == 303
    claim = db.session.scalar(select(Claim))
    assert (claim.invoice_no, claim.amount_cents, claim.receipt_mime) == (
        "24442000000123456789", 4500, "application/pdf")
    assert claim.warnings == ""


def test_a_mismatch_with_the_invoice_is_flagged_to_the_approver(client, auth, ready):
    auth.login(ready.employee)
    client.post("/overtime/claims/new",
                data=with_pdf(invoice_pdf(amount="38.00"), amount="45.00"),
                content_type="multipart/form-data")
    claim = db.session.scalar(select(Claim))
    auth.logout()
    auth.login(ready.head)
    page = client.get(f"/overtime/claims/{claim.id}").get_data(as_text=True)
    assert "The amount typed (¥45.00) is not the invoice&#39;s (¥38.00)." in page


def test_a_receipt_photo_is_stored_re_encoded_without_its_metadata(client, auth, ready):
    auth.login(ready.employee)
    data = claim_form(amount="60.00") | {"receipt": (io.BytesIO(image_bytes(exif=True)),
                                                      "r.jpg")}
    assert client.post("/overtime/claims/new", data=data,
                       content_type="multipart/form-data").status_code == 303
    claim = db.session.scalar(select(Claim))
    stored = client.get(f"/overtime/claims/{claim.id}/receipt").data
    assert stored.startswith(b"\xff\xd8") and b"SecretPhoneMaker" not in stored


def _race(app, people, forms) -> list[int]:
    """Post the claim forms at the same moment, one thread each; their status codes."""
    barrier, codes = threading.Barrier(len(people)), []
    clients = []
    for person in people:
        client = app.test_client()
        client.post("/login", data={"employee_no": person.employee_no, "password": PASSWORD})
        clients.append(client)

    def post(client, form):
        with client.application.app_context():  # the test client tidies up in one
            barrier.wait()
            codes.append(client.post("/overtime/claims/new", data=form).status_code)

    threads = [threading.Thread(target=post, args=pair) for pair in zip(clients, forms,
                                                                        strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(codes)


def _postgres(app) -> bool:
    return db.engine.dialect.name == "postgresql"


def test_two_claims_for_one_evening_at_once_make_one(app, ready):
    if not _postgres(app):
        pytest.skip("SQLite serialises writers: the race needs PostgreSQL")
    codes = _race(app, [ready.employee, ready.employee],
                  [claim_form(amount="40.00"), claim_form(amount="41.00")])
    assert codes == [303, 422]
    assert claims() == 1


def test_one_invoice_number_by_two_people_at_once_makes_one_claim(app, ready):
    if not _postgres(app):
        pytest.skip("SQLite serialises writers: the race needs PostgreSQL")
    number = "24442000000999999999"
    codes = _race(app, [ready.employee, ready.colleague],
                  [claim_form(invoice_no=number), claim_form(invoice_no=number)])
    assert codes == [303, 422]
    assert claims() == 1
