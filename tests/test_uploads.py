"""portal/uploads.py: what is taken as a photo or a document, checked by content, not by name."""

import pytest

from portal.uploads import UploadError, process_upload
from tests.repairs.conftest import image_bytes
from tests.tasks.test_attachments import PDF, office_zip


def test_a_document_keeps_the_persons_name_without_folders_with_its_true_ending(app):
    upload = process_upload(PDF, "C:\\Users\\王\\会议纪要.final.PDF")
    assert (upload.kind, upload.filename, upload.mimetype) == (
        "file", "会议纪要.final.pdf", "application/pdf")
    assert process_upload(office_zip("ppt/presentation.xml"), "汇报.zip").filename == "汇报.pptx"
    assert process_upload(office_zip("word/document.xml"), "\x00.docx").filename == "file.docx"


def test_a_photo_is_re_encoded_whatever_it_is_called(app):
    upload = process_upload(image_bytes("PNG", size=(400, 300)), "scan.pdf")
    assert (upload.kind, upload.filename, upload.mimetype) == ("photo", "scan.jpg", "image/jpeg")
    assert upload.content.startswith(b"\xff\xd8") and (upload.width, upload.height) == (400, 300)


@pytest.mark.parametrize("data", [PDF[:-8], b"", b"PK\x03\x04broken zip", b"<html>"])
def test_truncated_broken_or_other_files_are_refused(app, data):
    with pytest.raises(UploadError):
        process_upload(data, "x.pdf")
