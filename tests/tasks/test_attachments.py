"""A submitted result with photos or files: checked by content, served only to who sees the task."""

import io
import zipfile

from openpyxl import Workbook
from sqlalchemy import func, select

from portal.blueprints.tasks.models import SUBMITTED, TaskAttachment
from portal.extensions import db
from tests.repairs.conftest import image_bytes
from tests.tasks.conftest import make_task

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def office_zip(main_part: str, content_type: str = "document.main+xml") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", f'<Types><Override ContentType="{content_type}"/>'
                                                "</Types>")
        archive.writestr(main_part, "<document/>")
    return out.getvalue()


def xlsx_bytes() -> bytes:
    book = Workbook()
    book.active["A1"] = "进度"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _submit(client, task, note="纪要已发部门群，见附件", files=(), **headers):
    data = {"submit-note": note, "submit-files": [(io.BytesIO(d), n) for d, n in files]}
    return client.post(f"/tasks/{task.id}/submit", data=data, headers=headers,
                       content_type="multipart/form-data")


def _attachments() -> list[TaskAttachment]:
    db.session.expire_all()
    return list(db.session.scalars(select(TaskAttachment).order_by(TaskAttachment.id)))


def test_the_owner_submits_with_a_photo_and_a_file_which_the_assigner_sees(client, auth, cast):
    task = make_task(cast)
    auth.login(cast.owner)
    response = _submit(client, task, files=[(image_bytes(exif=True), "IMG_2041.JPG"),
                                            (PDF, "会议纪要.pdf"), (xlsx_bytes(), "签到表.xlsx")])
    assert response.status_code == 303
    photo, pdf, sheet = _attachments()
    assert (photo.kind, photo.mimetype, photo.filename) == ("photo", "image/jpeg", "IMG_2041.jpg")
    assert b"SecretPhoneMaker" not in photo.content and max(photo.width, photo.height) <= 1600
    assert (pdf.kind, pdf.filename, pdf.content) == ("file", "会议纪要.pdf", PDF)
    assert sheet.filename == "签到表.xlsx" and sheet.mimetype.endswith("spreadsheetml.sheet")
    auth.logout()

    auth.login(cast.assigner)
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert f'src="/tasks/attachments/{photo.id}"' in page and "会议纪要.pdf" in page
    assert "结果照片 1" in page  # the photo's alternative text
    image = client.get(f"/tasks/attachments/{photo.id}")
    assert image.status_code == 200 and image.mimetype == "image/jpeg"
    download = client.get(f"/tasks/attachments/{pdf.id}")
    assert download.data == PDF and download.mimetype == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert "private" in download.headers["Cache-Control"]


def test_attachments_are_need_to_know_others_get_404(client, auth, cast, make_user):
    task = make_task(cast)
    auth.login(cast.owner)
    _submit(client, task, files=[(PDF, "纪要.pdf")])
    auth.logout()
    item = _attachments()[0]
    for outsider in (cast.colleague, make_user("employee", "facilities")):
        auth.login(outsider)
        assert client.get(f"/tasks/attachments/{item.id}").status_code == 404
        auth.logout()
    for insider in (cast.head, cast.office):
        auth.login(insider)
        assert client.get(f"/tasks/attachments/{item.id}").status_code == 200
        auth.logout()
    assert client.get(f"/tasks/attachments/{item.id}").status_code == 302  # sign in first
    auth.login(cast.owner)
    assert client.get("/tasks/attachments/999999").status_code == 404


def test_what_is_not_a_photo_or_office_file_is_refused_beside_the_field(client, auth, cast, app):
    task = make_task(cast)
    auth.login(cast.owner)
    refused = [
        ([(b"MZ\x90\x00 this is a program", "报告.pdf")], "不是照片"),
        ([(office_zip("word/document.xml", "document.macroEnabled.main+xml"), "纪要.docm")],
         "含有宏"),
        ([(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "旧表.xls")], "旧版 Office 格式"),
        ([(office_zip("other/thing.xml"), "压缩包.zip")], "不是照片"),
        ([(PDF, f"{n}.pdf") for n in range(4)], "最多 3 个文件"),
    ]
    for files, message in refused:
        response = _submit(client, task, note="已完成，附件见下", files=files)
        page = response.get_data(as_text=True)
        assert response.status_code == 422, message
        assert message in page and 'id="files-error"' in page
        assert "已完成，附件见下" in page  # what was typed is kept
        assert "请重新选择文件" in page
    app.config["FILE_MAX_BYTES"] = 1024 * 1024
    response = _submit(client, task, files=[(PDF + b" " * 1024 * 1024, "大文件.pdf")])
    assert response.status_code == 422 and "1.0 MB" in response.get_data(as_text=True)
    db.session.refresh(task)
    assert task.status == "open" and _attachments() == []


def test_a_submit_with_files_replayed_by_the_outbox_is_recorded_once(client, auth, cast):
    task = make_task(cast)
    auth.login(cast.owner)
    headers = {"X-Outbox-Id": "7a1c1d2e-0000-4000-8000-0000000000bb"}
    for _ in range(3):
        _submit(client, task, files=[(image_bytes(), "现场.png")], **headers)
    db.session.refresh(task)
    assert task.status == SUBMITTED
    assert db.session.scalar(select(func.count()).select_from(TaskAttachment)) == 1


def test_a_resubmitted_result_shows_its_own_files(client, auth, cast):
    task = make_task(cast)
    auth.login(cast.owner)
    _submit(client, task, files=[(PDF, "初稿.pdf")])
    auth.logout()
    auth.login(cast.assigner)
    client.post(f"/tasks/{task.id}/return", data={"return-note": "缺少签字页"})
    auth.logout()
    auth.login(cast.owner)
    _submit(client, task, note="已补签字页", files=[(PDF, "定稿.pdf")])
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    done = page.split("完成情况", 1)[1].split("</section>", 1)[0]
    assert "定稿.pdf" in done and "初稿.pdf" not in done
    assert "初稿.pdf" in page  # still on the timeline, with the first submission


def test_a_refused_result_sent_by_the_outbox_gets_its_field_errors_as_json(client, auth, cast):
    task = make_task(cast)
    auth.login(cast.owner)
    headers = {"X-Outbox-Id": "7a1c1d2e-0000-4000-8000-0000000000cc",
               "Accept": "application/json"}
    answer = _submit(client, task, files=[(b"not a file we take", "x.pdf")], **headers)
    assert answer.status_code == 422
    assert "不是照片" in answer.get_json()["errors"]["submit-files"][0]
    answer = client.post(f"/tasks/{task.id}/progress", data={"progress-note": ""},
                         headers={**headers, "X-Outbox-Id": "7a1c1d2e-0000-4000-8000-0000000000dd"})
    assert list(answer.get_json()["errors"]) == ["progress-note"]
