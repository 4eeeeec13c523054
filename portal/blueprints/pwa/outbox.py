"""Exactly-once form submissions from the offline outbox.

A form marked `data-outbox` is stored on the phone when offline and replayed later with the
header `X-Outbox-Id: <uuid>`. @outbox records that id in the same transaction as the view's
own write, so however often the phone replays, the write happens once and every later replay
gets the first answer back.
"""

import uuid
from functools import wraps

from flask import Response, redirect, request
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from portal.blueprints.pwa.models import OutboxReceipt
from portal.extensions import db

HEADER = "X-Outbox-Id"


def outbox_id() -> str | None:
    value = request.headers.get(HEADER, "")
    try:
        return str(uuid.UUID(value)) if value else None
    except ValueError:
        return None


def _replay(receipt: OutboxReceipt) -> Response:
    if receipt.location:
        response = redirect(receipt.location, code=303)
    else:
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
            if existing.user_id != current_user.id:
                return Response("", status=409)
            return _replay(existing)
        receipt = OutboxReceipt(id=key, user_id=current_user.id, endpoint=request.endpoint,
                                status=0)
        db.session.add(receipt)
        try:
            db.session.flush()  # a concurrent replay of the same id waits here, then fails
        except IntegrityError:
            db.session.rollback()
            return _replay(db.session.get(OutboxReceipt, key))

        response = view(*args, **kwargs)
        if not isinstance(response, Response):
            from flask import make_response

            response = make_response(response)
        if response.status_code >= 400:
            # Nothing was applied (invalid data): forget the id so a corrected form can use it.
            db.session.rollback()
            return response
        receipt = db.session.get(OutboxReceipt, key)
        if receipt is not None:  # committed together with the view's write
            receipt.status = response.status_code
            receipt.location = response.headers.get("Location", "")[:300]
            if not receipt.location:
                receipt.body = response.get_data(as_text=True)[:20000]
            db.session.commit()
        return response

    wrapped.outbox = True
    return wrapped
