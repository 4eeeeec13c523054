"""The A4 wall menu: made in a job, one page, Chinese font embedded, cached until it changes."""

import re
import subprocess
from datetime import timedelta

from portal.blueprints.documents.models import Document
from portal.extensions import db
from tests.canteen.conftest import HTMX, MONDAY, fill_week, make_dish


def _pdf_tool(tool: str, content: bytes, tmp_path) -> str:
    path = tmp_path / "menu.pdf"
    path.write_bytes(content)
    args = [tool, str(path)] + (["-"] if tool == "pdftotext" else [])
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def _start(client) -> Document:
    response = client.post(f"/canteen/manage/{MONDAY}/pdf", headers=HTMX)
    assert response.status_code == 200
    number = int(re.search(r"/documents/(\d+)", response.get_data(as_text=True)).group(1))
    return db.session.get(Document, number)


def test_the_wall_menu_is_one_a4_page_with_the_dish_names(client, auth, make_user, week, run_jobs,
                                                          tmp_path, at):
    auth.login(make_user("employee", "canteen"))
    document = _start(client)
    run_jobs()
    db.session.refresh(document)
    assert document.status == "done", document.error
    text = _pdf_tool("pdftotext", document.content, tmp_path)
    for name in ("宫保鸡丁", "清蒸鲈鱼", "牛肉拉面", "夜宵"):
        assert name in text
    info = _pdf_tool("pdfinfo", document.content, tmp_path)
    assert re.search(r"^Pages:\s+1$", info, re.M)
    assert re.search(r"Page size:\s+841\.\d+ x 595\.\d+ pts \(A4\)", info)  # landscape
    fonts = _pdf_tool("pdffonts", document.content, tmp_path)
    cjk = [line.split() for line in fonts.splitlines() if "Noto-Sans-CJK" in line]
    assert cjk and all(columns[-5] == "yes" for columns in cjk)  # the "emb" column


def test_a_crowded_week_still_fits_one_page(client, auth, make_user, week, run_jobs, tmp_path,
                                            at):
    from portal.blueprints.canteen import services

    extra = [make_dish(f"特色菜{n}号", tags="spicy light") for n in range(8)]
    for n in range(7):
        for dish in extra:
            services.add_item(week, MONDAY + timedelta(days=n), "lunch", dish)
    db.session.commit()
    auth.login(make_user("employee", "canteen"))
    document = _start(client)
    run_jobs()
    db.session.refresh(document)
    assert re.search(r"^Pages:\s+1$", _pdf_tool("pdfinfo", document.content, tmp_path), re.M)


def test_the_pdf_is_reused_until_the_menu_changes(client, auth, make_user, week, run_jobs, at):
    auth.login(make_user("employee", "canteen"))
    first = _start(client)
    run_jobs()
    assert _start(client).id == first.id  # same revision: the finished file is reused
    assert run_jobs() == 0
    client.post(f"/canteen/manage/{MONDAY}/{MONDAY}/lunch/add", data={"dish": "水饺"})
    assert _start(client).id != first.id


def test_a_draft_weeks_pdf_stays_with_the_canteen(client, auth, make_user, dishes, run_jobs, at):
    fill_week(MONDAY, dishes, publish=False)
    employee = make_user("employee")
    auth.login(employee)
    assert client.post(f"/canteen/manage/{MONDAY}/pdf", headers=HTMX).status_code == 403
    auth.logout()
    cook = make_user("employee", "canteen")
    auth.login(cook)
    document = _start(client)
    run_jobs()
    assert client.get(f"/documents/{document.id}/download").status_code == 200
    auth.logout()
    # Next week's menu before it is published: not for employees, even knowing the number.
    auth.login(employee)
    assert client.get(f"/documents/{document.id}").status_code == 404
    assert client.get(f"/documents/{document.id}/download").status_code == 404
