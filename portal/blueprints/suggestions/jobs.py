"""Scheduled jobs of the suggestion box: reminders about unanswered items, the Monday digest.

Both decide inside and remember what they did, so a missed run, a late run or a double run
sends each reminder once and makes one digest a week.
"""

from datetime import timedelta

from sqlalchemy import select

from jobs import app_job
from portal.blueprints.accounts.models import User
from portal.blueprints.documents.models import Document
from portal.blueprints.suggestions import answers
from portal.blueprints.suggestions.paper import DIGEST, start_digest
from portal.extensions import db
from portal.timeutil import local_today, monday_of


@app_job
def remind_unanswered() -> tuple[int, int, int]:
    """Items a week old without an answer: their holders, then the office, each once; and
    yesterday's replies from submitters, told to those who answer."""
    holders, office = answers.remind_unanswered(local_today())
    replies = answers.tell_replies(local_today())
    db.session.commit()
    return holders, office, replies


@app_job
def make_weekly_digest() -> str:
    """Monday morning: last week's digest, once (the week is remembered on the document)."""
    monday = monday_of(local_today()) - timedelta(days=7)
    for document in db.session.scalars(select(Document).where(Document.kind == DIGEST)):
        if document.params.get("monday") == monday.isoformat():
            return "already made"
    office = User.with_role("office")
    if not office:
        return "no office"
    start_digest(office[0], monday)
    return "started"
