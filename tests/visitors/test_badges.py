"""Badges: made in a job, Chinese names with the CJK font embedded, a QR code that decodes to
the visit code only; a reprint is refused until confirmed, then recorded; the purge deletes
the badge files."""

import re
import shutil
import subprocess

import pytest
from sqlalchemy import func, select

from portal.blueprints.audit.models import AuditEntry
from portal.blueprints.documents.models import Document
from portal.blueprints.visitors import jobs
from portal.blueprints.visitors.models import Visit
from portal.extensions import db
from tests.meetings.conftest import switch
from tests.visitors.conftest import form

HTMX = {"HX-Request": "true", "HX-Request-Type": "partial"}


def _tool(args: list[str]) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def _badges(client, visit, **data) -> Document:
    response = client.post(f"/visitors/{visit.id}/badges", data=data, headers=HTMX)
    assert response.status_code == 200
    number = int(re.search(r"/documents/(\d+)", response.get_data(as_text=True)).group(1))
    return db.session.get(Document, number)


@pytest.fixture
def visit(client, auth, cast) -> Visit:
    auth.login(cast.host)
    client.post("/visitors/new", data=form(cast))
    switch(auth, cast.reception)
    return db.session.scalar(select(Visit))


def test_group_sheet_has_chinese_names_embedded_font_and_a_qr_of_the_code_only(
        client, visit, run_jobs, tmp_path):
    document = _badges(client, visit)
    run_jobs()
    db.session.refresh(document)
    assert document.status == "done", document.error
    path = tmp_path / "badges.pdf"
    path.write_bytes(document.content)
    text = _tool(["pdftotext", str(path), "-"])
    for words in ("张伟", "刘芳", "华星科技", "陈经理", "2026-12-08"):
        assert words in text
    fonts = [line.split() for line in _tool(["pdffonts", str(path)]).splitlines()
             if "CJK" in line]
    assert fonts and all(columns[-5] == "yes" for columns in fonts)
    if shutil.which("zbarimg") is None:
        pytest.skip("zbarimg is not installed (Debian: zbar-tools)")
    _tool(["pdftoppm", "-r", "200", "-png", "-f", "1", "-l", "1", str(path),
           str(tmp_path / "page")])
    page = next(tmp_path.glob("page*.png"))
    found = _tool(["zbarimg", "--raw", "-q", str(page)]).split()
    assert found and set(found) == {visit.code}  # one QR per badge, each only the code


def test_a_reprint_warns_until_confirmed_and_is_recorded(client, visit, run_jobs):
    first = visit.visitors[0]
    _badges(client, visit, visitor_id=first.id)
    response = client.post(f"/visitors/{visit.id}/badges", data={"visitor_id": first.id})
    assert response.status_code == 303
    page = client.get(f"/visitors/{visit.id}").get_data(as_text=True)
    assert "Confirm the reprint" in page or "确认重印" in page
    _badges(client, visit, visitor_id=first.id, reprint="1")
    db.session.expire_all()
    assert db.session.get(type(first), first.id).badge_prints == 2
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "visitors.badge_reprint")) == 1


def test_the_purge_deletes_badge_files(client, visit, run_jobs, at):
    _badges(client, visit)
    run_jobs()
    client.post(f"/visitors/{visit.id}/no-show")
    at("2027-01-09 10:00")
    assert jobs.purge_personal_data() == {"visits": 1, "visitors": 2, "badge_files": 1}
    assert db.session.scalar(select(func.count()).select_from(Document)) == 0


def test_the_shared_qr_helper_never_makes_a_micro_qr_for_a_short_visit_code(app):
    """A visit code is short enough for a Micro QR, which phones and zbar do not read: the
    portal's qr_svg (used by the badges) makes a full QR code (21 modules or more) unless asked."""
    from portal.pdf import qr_svg

    def modules(svg: str) -> int:
        return int(re.search(r'viewBox="0 0 (\d+) ', svg).group(1)) // 4  # scale 4, no border

    assert modules(qr_svg("AB12CD", border=0)) >= 21
    assert modules(qr_svg("AB12CD", border=0, micro=True)) <= 17
