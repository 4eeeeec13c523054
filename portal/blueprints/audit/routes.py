"""The office browses the audit log."""

from flask import Blueprint, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.blueprints.audit.models import AuditEntry
from portal.converters import db_int
from portal.extensions import db
from portal.htmx import render
from portal.security import role_required

bp = Blueprint("audit", __name__, url_prefix="/admin/audit", template_folder="templates")
PAGE_SIZE = 50


@bp.get("/")
@role_required("office")
def index():
    """Newest first; filter by action prefix; older pages by id cursor (fast on big tables)."""
    action = request.args.get("action", "").strip()
    before = request.args.get("before", type=db_int)
    query = select(AuditEntry).options(selectinload(AuditEntry.actor)).order_by(
        AuditEntry.id.desc())
    if action:
        query = query.where(AuditEntry.action.startswith(action))
    if before:
        query = query.where(AuditEntry.id < before)
    entries = db.session.scalars(query.limit(PAGE_SIZE)).all()
    more = len(entries) == PAGE_SIZE
    return render("audit/index.html", "results", entries=entries, action=action, more=more)
