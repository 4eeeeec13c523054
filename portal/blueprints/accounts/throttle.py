"""Sign-in throttling that slows the guesser, not the owner.

Counted per account *and client* (a guesser locks only their own attempts at that account, so
the owner on their own phone still signs in) and per client over all accounts (one machine
trying many numbers). After the free attempts each further failure doubles the wait, up to
LOGIN_LOCK_SECONDS. Kept in the database, so sign-in works while Redis is down.
"""

import math
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, or_, select
from sqlalchemy.exc import IntegrityError

from portal.blueprints.accounts.models import LoginThrottle
from portal.extensions import db
from portal.timeutil import utcnow


def _number(employee_no: str) -> str:
    return employee_no.strip().upper()[:20]


def _rows(employee_no: str, client: str) -> list[tuple[str, int]]:
    """(employee_no, free attempts) of the two counters one attempt touches."""
    config = current_app.config
    return [(_number(employee_no), config["LOGIN_MAX_FAILURES"]),
            ("", config["LOGIN_CLIENT_MAX_FAILURES"])]


def _get(employee_no: str, client: str) -> LoginThrottle | None:
    return db.session.scalar(select(LoginThrottle).where(
        LoginThrottle.employee_no == employee_no, LoginThrottle.client == client[:64]))


def wait_seconds(employee_no: str, client: str) -> int:
    """Seconds this client must wait before trying this account again (0: go ahead)."""
    now = utcnow()
    waits = [0]
    for number, _free in _rows(employee_no, client):
        row = _get(number, client)
        if row is not None and row.locked_until and row.locked_until > now:
            waits.append(math.ceil((row.locked_until - now).total_seconds()))
    return max(waits)


def record_failure(employee_no: str, client: str) -> None:
    """Count a failed attempt; past the free ones, lock for a doubling time. Caller commits."""
    config = current_app.config
    now = utcnow()
    forget_after = timedelta(seconds=config["LOGIN_LOCK_SECONDS"])
    for number, free in _rows(employee_no, client):
        row = _get(number, client) or _create(number, client)
        if now - row.last_failure_at > forget_after and not _locked(row, now):
            row.failures = 0  # a quiet quarter of an hour forgets old mistakes
        row.failures += 1
        row.last_failure_at = now
        if row.failures >= free:
            seconds = config["LOGIN_FIRST_DELAY_SECONDS"] * 2 ** min(row.failures - free, 20)
            row.locked_until = now + timedelta(seconds=min(seconds, config["LOGIN_LOCK_SECONDS"]))


def _locked(row: LoginThrottle, now) -> bool:
    return bool(row.locked_until and row.locked_until > now)


def _create(employee_no: str, client: str) -> LoginThrottle:
    """A new counter; if a concurrent request made it first, theirs."""
    row = LoginThrottle(employee_no=employee_no, client=client[:64], failures=0,
                        last_failure_at=utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        row = _get(employee_no, client)
    return row


def clear(employee_no: str, client: str) -> None:
    """The right password: this account's counter from this client starts again."""
    db.session.execute(delete(LoginThrottle).where(
        LoginThrottle.employee_no == _number(employee_no), LoginThrottle.client == client[:64]))


def current() -> list[LoginThrottle]:
    """Locks in force and counters still remembered, for the office; locked first."""
    now = utcnow()
    since = now - timedelta(seconds=current_app.config["LOGIN_LOCK_SECONDS"])
    query = (select(LoginThrottle)
             .where(or_(LoginThrottle.locked_until > now, LoginThrottle.last_failure_at > since))
             .order_by(LoginThrottle.locked_until.desc(), LoginThrottle.last_failure_at.desc()))
    return list(db.session.scalars(query))


def is_locked(row: LoginThrottle) -> bool:
    return _locked(row, utcnow())
