"""Timetable PDFs for the notice board: made in a job, Chinese text, the CJK font embedded."""

import re
import subprocess

from portal.blueprints.documents.models import Document
from portal.extensions import db

HTMX = {"HX-Request": "true", "HX-Request-Type": "partial"}


def _pdf_tool(tool: str, content: bytes, tmp_path) -> str:
    path = tmp_path / "shuttle.pdf"
    path.write_bytes(content)
    args = [tool, str(path)] + (["-"] if tool == "pdftotext" else [])
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def _start(client, url) -> Document:
    response = client.post(url, headers=HTMX)
    assert response.status_code == 200
    number = int(re.search(r"/documents/(\d+)", response.get_data(as_text=True)).group(1))
    return db.session.get(Document, number)


def _embedded_cjk(fonts: str) -> bool:
    cjk = [line.split() for line in fonts.splitlines() if "CJK" in line]
    return bool(cjk) and all(columns[-5] == "yes" for columns in cjk)


def test_the_route_timetable_pdf_has_chinese_stop_names_and_an_embedded_font(
        client, auth, make_user, network, run_jobs, tmp_path, at):
    auth.login(make_user("employee", language="en"))
    document = _start(client, f"/shuttle/routes/{network.line.id}/pdf")
    run_jobs()
    db.session.refresh(document)
    assert document.status == "done", document.error
    text = _pdf_tool("pdftotext", document.content, tmp_path)
    for words in ("1号线", "鼓楼", "人民公园", "百货大楼", "工厂正门", "07:20", "法定节假日停运"):
        assert words in text  # in Chinese for the notice board, whatever the reader's language
    assert _embedded_cjk(_pdf_tool("pdffonts", document.content, tmp_path))
    assert _start(client, f"/shuttle/routes/{network.line.id}/pdf").id == document.id  # reused


def test_the_a4_sheet_has_every_route(client, auth, make_user, network, run_jobs, tmp_path, at):
    auth.login(make_user("employee", "facilities"))
    document = _start(client, "/shuttle/sheet.pdf")
    run_jobs()
    db.session.refresh(document)
    assert document.status == "done", document.error
    text = _pdf_tool("pdftotext", document.content, tmp_path)
    assert "1号线" in text and "夜班车" in text and "南站" in text
    info = _pdf_tool("pdfinfo", document.content, tmp_path)
    assert re.search(r"^Pages:\s+1$", info, re.M) and "(A4)" in info
    assert _embedded_cjk(_pdf_tool("pdffonts", document.content, tmp_path))
