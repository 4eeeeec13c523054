"""Uploads from phones, checked by content (not by name).

Photos are re-encoded without metadata (no GPS, no device) and resized; documents (PDF and
Word/Excel/PowerPoint in their current formats) are kept as sent, after their structure is
checked. Used by repairs (photos) and tasks (a photo or file with a submitted result).
"""

import io
import re
import warnings
import zipfile
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

# MPO is how Pillow names the JPEG many Samsung and iPhone cameras write (a JPEG with a
# Multi-Picture segment); its first frame is the ordinary photo, and that is what we keep.
ALLOWED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP"}
# A phone photo is 2–12 MB (24–50 MP cameras); config PHOTO_MAX_BYTES overrides. The
# request limit (MAX_CONTENT_LENGTH) must stay above MAX_PHOTOS of these plus some, or a
# too-big photo ends on the bare 413 page instead of beside its field.
MAX_BYTES = 16 * 1024 * 1024
# Refused before decoding: a few kilobytes of PNG can claim 14000 × 14000 pixels (~600 MB of
# memory once decoded). 40 million pixels is more than any phone's ordinary photo mode.
MAX_PIXELS = 40_000_000
MAX_SIDE = 1600  # enough to see a broken part, small enough for the database
MAX_PHOTOS = 3


class UploadError(ValueError):
    """The upload is not one we accept; the message says why, for the person."""


class PhotoError(UploadError):
    """The upload is not a photo we accept."""


def max_bytes() -> int:
    return current_app.config.get("PHOTO_MAX_BYTES", MAX_BYTES)


def max_mb() -> int:
    return max_bytes() // (1024 * 1024)


def _not_a_photo() -> PhotoError:
    return PhotoError(_("not a JPEG, PNG or WebP photo."))


def _too_many_pixels() -> PhotoError:
    return PhotoError(_("more than %(mp)d megapixels: take it at the camera's "
                        "usual size.", mp=MAX_PIXELS // 1_000_000))


def _check(data: bytes) -> None:
    """Read only the header and the structure: format, pixel count, no truncation."""
    try:
        with warnings.catch_warnings():
            # Pillow warns (and in tests errors) from 89 million pixels; we refuse at 40.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                kind, (width, height) = probe.format, probe.size
                probe.verify()  # catches truncated and corrupt files; decodes no pixels
    except Image.DecompressionBombError as error:  # claims more than 179 million pixels
        raise _too_many_pixels() from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise _not_a_photo() from error
    if kind not in ALLOWED_FORMATS:
        raise _not_a_photo()
    if width * height > MAX_PIXELS:
        raise _too_many_pixels()


def _to_srgb(image: Image.Image) -> Image.Image:
    """RGB pixels in sRGB, so the colour profile (which names the camera) can be dropped."""
    profile = image.info.get("icc_profile")
    if profile and image.mode in ("RGB", "RGBA", "CMYK"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            return ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"),
                                             outputMode="RGB")
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: keep the pixels as they are
    return image.convert("RGB")


def process_photo(data: bytes) -> tuple[bytes, int, int]:
    """Check one upload and return (JPEG bytes, width, height); raise PhotoError if refused."""
    if len(data) > max_bytes():
        raise PhotoError(_("%(size).1f MB, and each photo may be at most %(mb)d MB.",
                           size=len(data) / (1024 * 1024), mb=max_mb()))
    _check(data)
    try:
        with Image.open(io.BytesIO(data)) as image:
            # A JPEG can be decoded at 1/2, 1/4, 1/8 size directly: far less memory and time.
            image.draft("RGB", (MAX_SIDE, MAX_SIDE))
            # Turn the pixels the way the phone meant, then drop every tag (GPS, device...).
            image = ImageOps.exif_transpose(image)
            image = _to_srgb(image)
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            # Pillow writes info["comment"] (JPEG COM) and friends back on save: drop them all.
            image.info = {}
            out = io.BytesIO()
            image.save(out, "JPEG", quality=82, optimize=True)
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        raise _not_a_photo() from error
    return out.getvalue(), image.width, image.height


def read_upload(upload) -> tuple[bytes, int, int] | None:
    """One file field's upload processed (None when nothing was chosen); errors name the file."""
    if not upload or not getattr(upload, "filename", ""):
        return None
    try:
        return process_photo(upload.read())
    except PhotoError as error:
        raise PhotoError(_("%(name)s: %(reason)s", name=upload.filename[-60:],
                           reason=str(error))) from error


def read_uploads(files) -> list[tuple[bytes, int, int]]:
    """Process every non-empty upload of a form field; raise PhotoError on the first bad one."""
    uploads = [f for f in files or [] if f and getattr(f, "filename", "")]
    if len(uploads) > MAX_PHOTOS:
        raise PhotoError(_("At most %(num)d photos.", num=MAX_PHOTOS))
    return [read_upload(f) for f in uploads]


def chosen(files) -> bool:
    """Whether the person had picked any file (a re-shown form cannot keep them)."""
    return any(f and getattr(f, "filename", "") for f in files or [])


# Documents: PDF, and Office's current formats by their main part. The old binary formats
# (.doc, .xls, .ppt) are refused: they cannot be told apart from their macro-carrying kin, and
# every Office and WPS saves the new ones. Config FILE_MAX_BYTES overrides the size.
FILE_MAX_BYTES = 10 * 1024 * 1024
OFFICE_PARTS = {  # main part in the ZIP -> (extension, MIME type)
    "word/document.xml": (
        "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xl/workbook.xml": (
        "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "ppt/presentation.xml": (
        "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
}
PHOTO_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Upload:
    """One accepted upload: a re-encoded photo or a checked document, ready to store."""

    kind: str  # "photo" | "file"
    filename: str  # for the download: the person's name for it, with the right extension
    mimetype: str
    content: bytes
    width: int = 0
    height: int = 0


def file_max_bytes() -> int:
    return current_app.config.get("FILE_MAX_BYTES", FILE_MAX_BYTES)


def _not_accepted() -> UploadError:
    return UploadError(_("not a photo (JPEG, PNG, WebP), a PDF, or a Word, Excel or "
                         "PowerPoint file."))


def _is_photo(data: bytes) -> bool:
    return data.startswith(PHOTO_MAGIC) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")


def _office_kind(data: bytes) -> tuple[str, str]:
    """(extension, MIME type) of a Word/Excel/PowerPoint file; UploadError otherwise."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            types = archive.getinfo("[Content_Types].xml")
            if types.file_size > 1024 * 1024:
                raise _not_accepted()
            declared = archive.read(types).decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, NotImplementedError) as error:
        raise _not_accepted() from error
    if "macroEnabled" in declared or "vbaProject.bin" in declared:
        raise UploadError(_("contains macros: save it without them (as .docx, .xlsx or "
                            ".pptx) and choose it again."))
    for part, kind in OFFICE_PARTS.items():
        if part in names:
            return kind
    raise _not_accepted()


def _document_kind(data: bytes) -> tuple[str, str]:
    if data.startswith(b"%PDF-") and b"%%EOF" in data[-4096:]:
        return "pdf", "application/pdf"
    if data.startswith(b"PK\x03\x04"):
        return _office_kind(data)
    if data.startswith(OLE2_MAGIC):
        raise UploadError(_("an old Office format: save it as .docx, .xlsx or .pptx (or as "
                            "a PDF) and choose it again."))
    raise _not_accepted()


def _clean_name(name: str, extension: str) -> str:
    """The name the person gave it, without folders or control characters, with the ending
    of what it really is."""
    stem = re.sub(r"[\x00-\x1f\x7f]+", "", name.replace("\\", "/").rsplit("/", 1)[-1])
    stem = stem.rsplit(".", 1)[0].strip(" .") or "file"
    return f"{stem[:80]}.{extension}"


def process_upload(data: bytes, name: str) -> Upload:
    """A photo (re-encoded) or a document (checked); raise UploadError if refused."""
    if _is_photo(data):
        content, width, height = process_photo(data)
        return Upload("photo", _clean_name(name, "jpg"), "image/jpeg", content, width, height)
    if len(data) > file_max_bytes():
        raise UploadError(_("%(size).1f MB, and a file may be at most %(mb)d MB.",
                            size=len(data) / (1024 * 1024),
                            mb=file_max_bytes() // (1024 * 1024)))
    extension, mimetype = _document_kind(data)
    return Upload("file", _clean_name(name, extension), mimetype, data)


def read_any_uploads(files, limit: int = MAX_PHOTOS) -> list[Upload]:
    """Every non-empty upload of a form field, photos or documents; errors name the file."""
    uploads = [f for f in files or [] if f and getattr(f, "filename", "")]
    if len(uploads) > limit:
        raise UploadError(_("At most %(num)d files.", num=limit))
    accepted = []
    for upload in uploads:
        try:
            accepted.append(process_upload(upload.read(), upload.filename))
        except UploadError as error:
            raise UploadError(_("%(name)s: %(reason)s", name=upload.filename[-60:],
                                reason=str(error))) from error
    return accepted
