"""Exactly-once form submissions from the offline outbox.

A form marked `data-outbox` is stored on the phone first and sent (now, or later when offline)
with the header `X-Outbox-Id: <uuid>`. @outbox records that id in the same transaction as the
view's own write, so however often the phone replays, the write happens once and every later
replay gets the first answer back. Put it under the route decorators and after role checks.
"""

import uuid
from datetime import timedelta
from functools import wraps

from flask import Response, make_response, redirect, request
from flask_login import current_user
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from portal.blueprints.pwa.models import OutboxReceipt
from portal.extensions import db
from portal.timeutil import utcnow

HEADER = "X-Outbox-Id"
BODY_LIMIT = 20000


def outbox_id() -> str | None:
    """The request's outbox id in canonical form; None when absent or not a UUID."""
    value = request.headers.get(HEADER, "")
    try:
        return str(uuid.UUID(value)) if value else None
    except ValueError:
        return None


def _replay(receipt: OutboxReceipt) -> Response:
    if receipt.location:
        response = redirect(receipt.location, code=303)
    else:
        # status 0: applied, but the answer was never recorded (the worker died in between).
        response = Response(receipt.body, status=receipt.status or 200)
    response.headers["X-Outbox-Replayed"] = "1"
    return response


def outbox(view):
    """Make a POST view safe to replay: one attribute on the form, this decorator on the view."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        key = outbox_id()
        if request.method != "POST" or key is None:
            return view(*args, **kwargs)
        existing = db.session.get(OutboxReceipt, key)
        if existing is not None:
            return _replay(existing) if existing.user_id == current_user.id else Response("", 409)
        db.session.add(OutboxReceipt(id=key, user_id=current_user.id, endpoint=request.endpoint,
                                     status=0))
        try:
            db.session.flush()  # a concurrent replay of the same id waits here, then fails
        except IntegrityError:
            db.session.rollback()
            existing = db.session.get(OutboxReceipt, key)
            if existing is None or existing.user_id != current_user.id:
                return Response("", 409)
            return _replay(existing)

        response = make_response(view(*args, **kwargs))
        if response.status_code >= 400:
            # Refused (invalid data): forget the id so a corrected form can use it. A view that
            # committed before refusing committed the unanswered receipt too: without deleting
            # it, a replay would come back as an empty "sent".
            db.session.rollback()
            db.session.execute(delete(OutboxReceipt).where(OutboxReceipt.id == key))
            db.session.commit()
            return response
        receipt = db.session.get(OutboxReceipt, key)
        if receipt is not None:  # committed together with the view's write
            receipt.status = response.status_code
            receipt.location = response.headers.get("Location", "")[:300]
            if not receipt.location:
                receipt.body = response.get_data(as_text=True)[:BODY_LIMIT]
            db.session.commit()
        return response

    wrapped.outbox = True  # checked by tests/pwa: every data-outbox form posts to such a view
    return wrapped


def purge_receipts(older_than_days: int = 30) -> int:
    """Forget receipts no phone will replay any more; the caller commits."""
    cutoff = utcnow() - timedelta(days=older_than_days)
    result = db.session.execute(delete(OutboxReceipt).where(OutboxReceipt.created_at < cutoff))
    return result.rowcount or 0
