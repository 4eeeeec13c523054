"""Document jobs: make a PDF or spreadsheet and store it on its Document row."""

import logging
import time

from flask_babel import force_locale

from jobs import app_job
from portal.blueprints.documents.models import DONE, FAILED, RUNNING, Document
from portal.extensions import db
from portal.timeutil import utcnow

log = logging.getLogger(__name__)


def _renderers() -> dict:
    # kind -> function(document) returning (filename, mimetype, bytes). Explicit, like blueprints.
    from portal.blueprints.admin import reports
    from portal.blueprints.canteen.documents import RENDERERS as canteen
    from portal.blueprints.repairs.documents import RENDERERS as repairs

    return {
        "roster_pdf": reports.roster_pdf,
        "users_xlsx": reports.users_xlsx,
        **repairs,
        **canteen,
    }


@app_job
def render_document(document_id: int) -> str:
    """Render one Document by its kind; record progress, the file, or the error."""
    document = db.session.get(Document, document_id)
    if document is None or document.finished:
        return "skipped"
    document.status, document.progress = RUNNING, 10
    db.session.commit()
    started = time.perf_counter()
    try:
        renderer = _renderers()[document.kind]
        with force_locale(document.params.get("locale", "zh_CN")):
            filename, mimetype, content = renderer(document)
    except Exception as error:  # any failure must reach the person waiting for it
        log.exception("document %s failed", document_id)
        db.session.rollback()
        document = db.session.get(Document, document_id)
        document.status, document.error = FAILED, str(error)[:500]
        document.finished_at = utcnow()
        db.session.commit()
        return "failed"
    document.filename, document.mimetype, document.content = filename, mimetype, content
    document.size, document.progress, document.status = len(content), 100, DONE
    document.finished_at = utcnow()
    db.session.commit()
    log.info("document %s (%s) %d bytes in %.2fs", document_id, document.kind, len(content),
             time.perf_counter() - started)
    return "done"
