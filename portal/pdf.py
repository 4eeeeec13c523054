"""PDFs from our own templates, with a Chinese font, and WeasyPrint never fetching a URL."""

from pathlib import Path
from urllib.parse import unquote, urlparse

import segno
from flask import current_app, render_template
from weasyprint import HTML
from weasyprint.urls import URLFetcher


class StaticOnlyFetcher(URLFetcher):
    """Fetches files under static/ and nothing else: no network, no other file on the disk."""

    def __init__(self, root: Path):
        super().__init__(allowed_protocols={"file"}, fail_on_errors=True)
        self.root = root

    def fetch(self, url, headers=None):
        path = Path(unquote(urlparse(url).path)).resolve()
        if not path.is_relative_to(self.root):
            raise ValueError(f"PDF templates may only use files under static/: {url}")
        return super().fetch(url, headers)


def render_pdf(template: str, **context) -> bytes:
    """Render `template` (which extends pdf/base.html) to PDF bytes."""
    html = render_template(template, **context)
    static = Path(current_app.static_folder).resolve()
    return HTML(string=html, base_url=static.as_uri() + "/",
                url_fetcher=StaticOnlyFetcher(static)).write_pdf()


def qr_svg(text: str, scale: int = 4, border: int = 1, error: str = "m",
           micro: bool = False) -> str:
    """`text` (usually a URL) as a QR code in inline SVG markup, for a PDF or a page.

    Inline, so there is no image file to store and nothing to fetch: WeasyPrint draws it as
    vectors, sharp at any print size, and a page shows it under the strict CSP (no data: URL).
    There is no width or height: size it with CSS (`.qr svg { width: 34mm }`). `error` is the
    error-correction level ("m" recovers about 15%: a smudged or slightly torn label still
    scans); `border` is the quiet zone around the code, in modules; `scale` only sets the
    viewBox's units.
    Always a full QR code unless `micro=True`: left to itself segno picks a Micro QR for a
    short payload (a visit code), which phone cameras and zbar do not read.
    The markup holds only paths, never `text` itself, so a template may mark it `|safe`.
    """
    return segno.make(text, error=error, micro=micro).svg_inline(scale=scale, border=border,
                                                                 omitsize=True)
