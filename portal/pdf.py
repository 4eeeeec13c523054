"""PDFs from our own templates, with a Chinese font, and WeasyPrint never fetching a URL."""

from pathlib import Path

from flask import current_app, render_template
from weasyprint import HTML, default_url_fetcher


def _local_only(url: str, *args, **kwargs):
    static = Path(current_app.static_folder).resolve()
    if url.startswith("file://"):
        path = Path(url[len("file://") :]).resolve()
        if path.is_relative_to(static):
            return default_url_fetcher(url, *args, **kwargs)
    raise ValueError(f"PDF templates may only use files under static/: {url}")


def render_pdf(template: str, **context) -> bytes:
    """Render `template` (which extends pdf/base.html) to PDF bytes."""
    html = render_template(template, **context)
    base_url = Path(current_app.static_folder).resolve().as_uri() + "/"
    return HTML(string=html, base_url=base_url, url_fetcher=_local_only).write_pdf()
