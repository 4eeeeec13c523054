"""Month close: a closed month's claims cannot change; statements per employee and per
department (XLSX read back with openpyxl, PDF with pdftotext) total the approved claims;
exported and paid; the office's list and chart."""

import io
import subprocess
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from portal.blueprints.documents.models import Document
from portal.blueprints.overtime.models import APPROVED, Claim, MonthClose
from portal.extensions import db
from tests.overtime.conftest import claim_form, make_record


@pytest.fixture
def month(client, auth, cast, policy, at):
    """December: two approved claims of the employee, one of the colleague, one waiting."""
    plan = [(cast.employee, 1, "45.00"), (cast.employee, 2, "38.50"),
            (cast.colleague, 2, "20.00"), (cast.colleague, 3, "33.00")]
    for person, day, amount in plan:
        make_record(person, day=date(2026, 12, day))
        auth.login(person)
        client.post("/overtime/claims/new", data=claim_form(day=date(2026, 12, day),
                                                            amount=amount))
        auth.logout()
    claims = db.session.scalars(select(Claim).order_by(Claim.id)).all()
    for claim in claims[:3]:
        claim.status = APPROVED
    db.session.commit()
    auth.login(cast.office)
    return claims


def test_a_closed_month_locks_edits_and_decisions(client, auth, cast, month):
    assert client.post("/overtime/office/2026-12/close").status_code == 303
    assert db.session.get(MonthClose, "2026-12") is not None
    waiting = month[3]
    assert client.post(f"/overtime/claims/{waiting.id}/return",
                       data={"reason": "x"}).status_code == 403
    auth.logout()
    auth.login(cast.colleague)
    response = client.post(f"/overtime/claims/{waiting.id}/edit",
                           data=claim_form(day=date(2026, 12, 3), amount="10.00"),
                           follow_redirects=True)
    assert "This claim can no longer change." in response.get_data(as_text=True)
    db.session.expire_all()
    assert waiting.amount_cents == 3300


def test_statements_total_the_approved_claims_in_xlsx_and_pdf(client, month, run_jobs):
    client.post("/overtime/office/2026-12/close")
    for kind in ("xlsx", "pdf"):
        assert client.post(f"/overtime/office/2026-12/statements/{kind}").status_code == 200
    run_jobs()
    documents = {d.kind: d for d in db.session.scalars(select(Document))}
    xlsx = client.get(f"/documents/{documents['overtime_statement_xlsx'].id}/download").data
    book = load_workbook(io.BytesIO(xlsx))
    people = list(book.worksheets[0].iter_rows(values_only=True))
    assert people[-1][1] == "Total" and people[-1][4] == pytest.approx(103.50)
    assert sum(row[4] for row in people[1:-1]) == pytest.approx(103.50)
    departments = list(book.worksheets[1].iter_rows(values_only=True))
    assert departments[1] == ("研发部", 3, pytest.approx(103.50))
    pdf = client.get(f"/documents/{documents['overtime_statement_pdf'].id}/download").data
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()
    assert "研发部" in text and "王小明" in text and "103.50" in text and "83.50" in text


def test_exported_then_paid(client, month):
    client.post("/overtime/office/2026-12/close")
    assert client.post("/overtime/office/2026-12/paid").status_code == 303
    assert db.session.get(MonthClose, "2026-12").paid_at is None  # not before exported
    client.post("/overtime/office/2026-12/exported")
    client.post("/overtime/office/2026-12/paid")
    db.session.expire_all()
    row = db.session.get(MonthClose, "2026-12")
    assert row.exported_at is not None and row.paid_at is not None


def test_the_office_sees_the_months_claims_and_a_chart_by_department(client, month):
    page = client.get("/overtime/office?month=2026-12").get_data(as_text=True)
    assert "<svg" in page and "研发部" in page and "¥103.50" in page
    assert "4 claims" in page
    waiting = client.get("/overtime/office?month=2026-12&status=head").get_data(as_text=True)
    assert "1 claims" in waiting


def test_only_the_office_reaches_the_office_pages(client, auth, cast, month):
    auth.logout()
    auth.login(cast.head)
    for url in ("/overtime/office", "/overtime/policy", "/overtime/settings"):
        assert client.get(url).status_code == 403
    assert client.post("/overtime/office/2026-12/close").status_code == 403


def test_taxi_spend_per_district_for_the_shuttle_leaves_out_small_counts(app, make_user):
    from portal.blueprints.overtime.shuttle import late_run_for, taxi_spend_by_district
    from tests.overtime.conftest import local

    people = [make_user() for _ in range(6)]
    for n, person in enumerate(people):
        district = "宝安区" if n < 5 else "龙岗区"  # one person alone in 龙岗区
        db.session.add(Claim(user_id=person.id, day=date(2026, 12, 2), month="2026-12",
                             from_district="南山区", to_district=district,
                             ride_at=local(2026, 12, 2, 22, 30), amount_cents=4000,
                             status=APPROVED))
    db.session.commit()
    assert taxi_spend_by_district("2026-12") == [("宝安区", 5, 20000)]
    assert late_run_for(people[0], None) is None  # until the shuttle module lands
