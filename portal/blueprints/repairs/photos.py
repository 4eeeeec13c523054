"""Photos from phones: checked by content (not by name), re-encoded without metadata, resized."""

import io
import warnings

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

# MPO is how Pillow names the JPEG many Samsung and iPhone cameras write (a JPEG with a
# Multi-Picture segment); its first frame is the ordinary photo, and that is what we keep.
ALLOWED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP"}
# A phone photo is 2–12 MB (24–50 MP cameras); config REPAIR_PHOTO_MAX_BYTES overrides. The
# request limit (MAX_CONTENT_LENGTH) must stay above MAX_PHOTOS of these plus some, or a
# too-big photo ends on the bare 413 page instead of beside its field.
MAX_BYTES = 16 * 1024 * 1024
# Refused before decoding: a few kilobytes of PNG can claim 14000 × 14000 pixels (~600 MB of
# memory once decoded). 40 million pixels is more than any phone's ordinary photo mode.
MAX_PIXELS = 40_000_000
MAX_SIDE = 1600  # enough to see a broken part, small enough for the database
MAX_PHOTOS = 3


class PhotoError(ValueError):
    """The upload is not a photo we accept; the message says why, for the person."""


def max_bytes() -> int:
    return current_app.config.get("REPAIR_PHOTO_MAX_BYTES", MAX_BYTES)


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
