"""Exactly-once form submissions from the offline outbox.

A form marked `data-outbox` is stored on the phone first and sent (now, or later when offline)
with the header `X-Outbox-Id: <uuid>`. @outbox records that id in the same transaction as the
view's own write, so however often the phone replays, the write happens once and every later
replay gets the first answer back. Put it under the route decorators and after role checks.
"""

import time
import uuid
from datetime import timedelta
from functools import wraps

from flask import Response, before_render_template, g, make_response, redirect, request
from flask_login import current_user
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from portal.blueprints.pwa.models import OutboxReceipt
from portal.extensions import db
from portal.forms import PortalForm
from portal.timeutil import utcnow

HEADER = "X-Outbox-Id"
BODY_LIMIT = 20000
WAIT_SECONDS = 3.0  # how long a concurrent copy waits for the first copy's answer
RETRY_AFTER = 2  # then it says "already being sent, ask again in 2 s"
ABANDONED = timedelta(minutes=2)  # an answer still missing after this will never come


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
        response = Response(receipt.body, status=receipt.status)
    response.headers["X-Outbox-Replayed"] = "1"
    return response


def _in_progress() -> Response:
    """The first copy is still being handled: the phone keeps the form and asks again."""
    response = make_response({"error": "in_progress"}, 409)
    response.headers["Retry-After"] = str(RETRY_AFTER)
    return response


def _answer_of_first(key: str) -> Response:
    """A copy of a form whose first copy was already taken: that copy's answer, once it has one.

    The first copy commits its receipt with the view's write (status 0) and records the answer
    just after; a copy arriving in between waits briefly rather than answering an empty 200.
    """
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        db.session.rollback()  # a fresh snapshot: see what the first copy committed since
        receipt = db.session.get(OutboxReceipt, key)
        if receipt is not None and receipt.user_id != current_user.id:
            return Response("", 409)  # someone else's id: never their answer
        if receipt is not None and receipt.status:
            return _replay(receipt)
        if receipt is not None and utcnow() - receipt.created_at > ABANDONED:
            # Applied, but the worker died before recording the answer: say "sent".
            response = redirect(request.referrer or "/", code=303)
            response.headers["X-Outbox-Replayed"] = "1"
            return response
        if time.monotonic() >= deadline:
            # Still being handled, or refused and forgotten (the next try gets its own answer).
            return _in_progress()
        time.sleep(0.1)


def _note_forms(sender, template, context, **extra):
    """Remember the forms a refused outbox submission was rendered with (see _errors_answer)."""
    seen = g.get("outbox_forms")
    if seen is not None:
        seen.extend(value for value in context.values() if isinstance(value, PortalForm))


before_render_template.connect(_note_forms)


def wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _errors_answer(response: Response) -> Response:
    """A refusal as the outbox reads it: 422 with {"errors": {field name: [messages]}}.

    The messages are those the page would show beside each field, in the person's language;
    the phone puts them beside its own fields, which still hold what was typed. An answer
    rendered without a form that has errors stays as the view made it.
    """
    errors = {}
    for form in g.get("outbox_forms") or ():
        for field in form:
            if field.errors:
                errors[field.name] = [str(message) for message in field.errors]
        if form.form_errors:
            errors.setdefault("", []).extend(str(message) for message in form.form_errors)
    if not errors:
        return response
    return make_response({"errors": errors}, 422)


def outbox(view):
    """Make a POST view safe to replay: one attribute on the form, this decorator on the view."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        key = outbox_id()
        if request.method != "POST" or key is None:
            return view(*args, **kwargs)
        if db.session.get(OutboxReceipt, key) is not None:
            return _answer_of_first(key)
        db.session.add(OutboxReceipt(id=key, user_id=current_user.id, endpoint=request.endpoint,
                                     status=0))
        try:
            db.session.flush()  # a concurrent replay of the same id waits here, then fails
        except IntegrityError:
            return _answer_of_first(key)

        g.outbox_forms = []
        response = make_response(view(*args, **kwargs))
        if response.status_code >= 400:
            # Refused (invalid data): forget the id so a corrected form can use it. A view that
            # committed before refusing committed the unanswered receipt too: without deleting
            # it, a replay would come back as an empty "sent".
            db.session.rollback()
            db.session.execute(delete(OutboxReceipt).where(OutboxReceipt.id == key))
            db.session.commit()
            return _errors_answer(response) if wants_json() else response
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
