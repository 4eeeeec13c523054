"""Photos from phones: checked by content (not by name), re-encoded without EXIF, resized."""

import io

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_BYTES = 8 * 1024 * 1024  # a phone photo is 2–6 MB; config REPAIR_PHOTO_MAX_BYTES overrides
MAX_SIDE = 1600  # enough to see a broken part, small enough for the database
MAX_PHOTOS = 3


class PhotoError(ValueError):
    """The upload is not a photo we accept; the message says why, for the person."""


def max_bytes() -> int:
    return current_app.config.get("REPAIR_PHOTO_MAX_BYTES", MAX_BYTES)


def process_photo(data: bytes) -> tuple[bytes, int, int]:
    """Check one upload and return (JPEG bytes, width, height); raise PhotoError if refused."""
    if len(data) > max_bytes():
        raise PhotoError(_("A photo is larger than %(mb)d MB.", mb=max_bytes() // (1024 * 1024)))
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            probe.verify()  # catches truncated and corrupt files before decoding
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise PhotoError(_("A file is not a JPEG, PNG or WebP photo.")) from error
    if kind not in ALLOWED_FORMATS:
        raise PhotoError(_("A file is not a JPEG, PNG or WebP photo."))
    try:
        with Image.open(io.BytesIO(data)) as image:
            # Turn the pixels the way the phone meant, then drop every tag (GPS, device...).
            image = ImageOps.exif_transpose(image)
            image = image.convert("RGB")
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            image.save(out, "JPEG", quality=82, optimize=True)
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        raise PhotoError(_("A file is not a JPEG, PNG or WebP photo.")) from error
    return out.getvalue(), image.width, image.height


def read_uploads(files) -> list[tuple[bytes, int, int]]:
    """Process every non-empty upload of a form field; raise PhotoError on the first bad one."""
    uploads = [f for f in files or [] if f and getattr(f, "filename", "")]
    if len(uploads) > MAX_PHOTOS:
        raise PhotoError(_("At most %(num)d photos.", num=MAX_PHOTOS))
    return [process_photo(f.read()) for f in uploads]
