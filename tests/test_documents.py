"""Background documents: the roster PDF (Chinese, embedded font) and the user list XLSX."""

import io
import subprocess

from openpyxl import load_workbook

from portal.blueprints.documents.models import Document
from portal.extensions import db


def _start(client, url: str) -> Document:
    response = client.post(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "正在生成" in response.get_data(as_text=True)
    return db.session.scalars(db.select(Document).order_by(Document.id.desc())).first()


def test_roster_pdf_is_made_by_a_job_and_shows_chinese_with_an_embedded_font(
        client, auth, make_user, make_department, run_jobs, tmp_path):
    department = make_department("研发部")
    make_user(name="林晓东", department=department)
    auth.login(make_user("office"))
    document = _start(client, "/admin/reports/roster.pdf")
    widget = client.get(f"/documents/{document.id}", headers={"HX-Request": "true"})
    assert 'hx-trigger="load delay' in widget.get_data(as_text=True)  # still polling

    assert run_jobs() == 1
    widget = client.get(f"/documents/{document.id}", headers={"HX-Request": "true"})
    assert "下载 roster-" in widget.get_data(as_text=True)
    pdf = client.get(f"/documents/{document.id}/download")
    assert pdf.mimetype == "application/pdf"
    path = tmp_path / "roster.pdf"
    path.write_bytes(pdf.data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "部门花名册" in text and "研发部" in text and "林晓东" in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk and all(" yes " in line for line in cjk), fonts


def test_user_list_xlsx_has_every_person(client, auth, make_user, run_jobs):
    make_user(name="孙丽", employee_no="S0001")
    auth.login(make_user("office"))
    document = _start(client, "/admin/reports/users.xlsx")
    run_jobs()
    response = client.get(f"/documents/{document.id}/download")
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("工号", "姓名")
    assert ("S0001", "孙丽") in [row[:2] for row in rows]


def test_someone_elses_document_is_404(app, client, auth, make_user, run_jobs):
    owner = make_user("office")
    auth.login(owner)
    document = _start(client, "/admin/reports/users.xlsx")
    run_jobs()
    auth.logout()
    auth.login(make_user("office"))
    assert client.get(f"/documents/{document.id}").status_code == 404
    assert client.get(f"/documents/{document.id}/download").status_code == 404


def test_a_failing_job_tells_the_person_instead_of_spinning_forever(client, auth, make_user,
                                                                    run_jobs):
    user = make_user("office")
    auth.login(user)
    document = Document(kind="no_such_kind", owner_id=user.id)
    db.session.add(document)
    db.session.commit()
    from jobs.documents import render_document

    assert render_document(document.id) == "failed"
    html = client.get(f"/documents/{document.id}", headers={"HX-Request": "true"}).get_data(True)
    assert "生成失败" in html


def test_double_click_on_a_report_starts_one_job_and_shows_the_same_progress(
        client, auth, make_user, run_jobs):
    auth.login(make_user("office"))
    first = _start(client, "/admin/reports/roster.pdf")
    second = _start(client, "/admin/reports/roster.pdf")
    assert second.id == first.id
    assert run_jobs() == 1
    # Finished, it is not reused: the next click makes a fresh roster.
    assert _start(client, "/admin/reports/roster.pdf").id != first.id


def test_a_document_being_made_is_reused_only_for_the_same_request(app, make_user):
    from datetime import timedelta

    from portal.blueprints.documents.services import request_document
    from portal.timeutil import utcnow

    owner, other = make_user("office"), make_user("office")
    with app.test_request_context():
        mine, is_new = request_document("users_xlsx", owner)
        assert is_new
        assert request_document("users_xlsx", owner) == (mine, False)
        mine.status = "running"
        assert request_document("users_xlsx", owner) == (mine, False)
        # Someone else, other parameters or another kind: their own document.
        assert request_document("users_xlsx", other)[1]
        assert request_document("users_xlsx", owner, locale="en")[1]
        assert request_document("roster_pdf", owner)[1]
        # Shared by cache key: anyone asking for the same content waits on the same job.
        week, is_new = request_document("canteen_week_pdf", owner, cache_key="week:1")
        assert is_new
        assert request_document("canteen_week_pdf", other, cache_key="week:1") == (week, False)
        assert request_document("canteen_week_pdf", other, cache_key="week:2")[1]
        # However old, a pending one is reused: the sweep sees that it is made (jobs/maintenance).
        mine.created_at = week.created_at = utcnow() - timedelta(hours=1)
        db.session.flush()
        assert request_document("users_xlsx", owner) == (mine, False)
        assert request_document("canteen_week_pdf", other, cache_key="week:1") == (week, False)
        # A failed one is not reused either.
        failed, _ = request_document("roster_pdf", other)
        failed.status = "failed"
        assert request_document("roster_pdf", other)[0] != failed


def test_a_name_that_looks_like_a_formula_is_text_in_the_user_list(client, auth, make_user,
                                                                   run_jobs):
    make_user(name="=1+2", employee_no="S0002")
    auth.login(make_user("office"))
    document = _start(client, "/admin/reports/users.xlsx")
    run_jobs()
    sheet = load_workbook(io.BytesIO(client.get(f"/documents/{document.id}/download").data)).active
    cell = next(c for c in sheet["B"] if c.value == "=1+2")
    assert cell.data_type == "s"
