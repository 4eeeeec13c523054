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
        query = query.where(*starts_with(action))
    if before:
        # Under a filter the cursor only sorts out the action's own entries ("+ 0": not a range
        # of the primary key, which would walk every older entry looking for the few that match).
        query = query.where((AuditEntry.id + 0 if action else AuditEntry.id) < before)
    entries = db.session.scalars(query.limit(PAGE_SIZE)).all()
    more = len(entries) == PAGE_SIZE
    return render("audit/index.html", "results", entries=entries, action=action, more=more)


def starts_with(prefix: str) -> tuple:
    """Actions starting with `prefix`, as a range of the (action, id) index: from the prefix to
    the prefix with its last character moved on, compared byte by byte (on PostgreSQL with the
    pattern operators its text_pattern_ops index serves, whatever the database's collation). A
    LIKE with a bound pattern reads every entry on SQLite and on PostgreSQL's generic plans."""
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    if db.engine.dialect.name == "postgresql":
        return AuditEntry.action.op("~>=~")(prefix), AuditEntry.action.op("~<~")(upper)
    return AuditEntry.action >= prefix, AuditEntry.action < upper
