"""Sign-ins as records on the server, so that signing out ends them everywhere a cookie went.

Each sign-in is a UserSession row. The session cookie and the "keep me signed in" cookie carry
its random id (User.get_id); the table keeps only the id's SHA-256, so a copy of the database
opens no session. Ending the row (signing out here or elsewhere, a password change or reset,
deactivation) refuses both cookies, and any copy of them, on the next request.

Flask-Login calls `load_user` on each request: one query for the person, their roles, the
sign-in and the unread count of the bell every page shows; the last-seen time is written at most
once every TOUCH_EVERY.
"""

import hashlib
import logging
import secrets
from datetime import datetime, timedelta
from functools import cache, cached_property

from flask import current_app, has_request_context, request
from sqlalchemy import bindparam, delete, func, or_, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import lazyload

from portal import sql
from portal.blueprints.accounts.models import User, UserRole, UserSession
from portal.extensions import db, plain_reads
from portal.timeutil import utcnow

TOUCH_EVERY = timedelta(minutes=5)
# An ended or expired sign-in opens nothing; it is kept a week so that the office can answer
# "was my lost phone used?" (it was last seen before it was ended), then deleted.
KEEP_ENDED = timedelta(days=7)

# (what the User-Agent says, the name shown), first match wins: in-app and vendors' browsers
# before the engines they are built on (WeChat and Edge say "Chrome" too, Chrome says "Safari").
BROWSERS = (
    ("wxwork", "WeCom"), ("micromessenger", "WeChat"), ("dingtalk", "DingTalk"),
    ("feishu", "Feishu"), ("lark/", "Feishu"), ("huaweibrowser", "Huawei Browser"),
    ("miuibrowser", "Mi Browser"), ("ucbrowser", "UC Browser"), ("qqbrowser", "QQ Browser"),
    ("edg/", "Edge"), ("edga/", "Edge"), ("edgios/", "Edge"), ("firefox", "Firefox"),
    ("fxios", "Firefox"), ("crios", "Chrome"), ("chrome", "Chrome"), ("safari", "Safari"),
)
SYSTEMS = (
    ("harmonyos", "HarmonyOS"), ("openharmony", "HarmonyOS"), ("android", "Android"),
    ("iphone", "iOS"), ("ipad", "iPadOS"), ("windows", "Windows"), ("macintosh", "macOS"),
    ("cros ", "ChromeOS"), ("linux", "Linux"),
)


def device_label(user_agent: str) -> str:
    """A short name of the browser and system ("Chrome · Android"), or "" when unknown.

    Only this is kept, not the User-Agent itself (nor the address): enough for a person to
    recognise their own phone in the list, and nothing more about it.
    """
    agent = user_agent.lower()
    browser = next((name for token, name in BROWSERS if token in agent), "")
    system = next((name for token, name in SYSTEMS if token in agent), "")
    return " · ".join(part for part in (browser, system) if part)


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def start(user: User, remember: bool) -> UserSession:
    """Record a sign-in of `user` on this device; login_user() then puts its id in the cookies.

    It lasts as long as the longer of its cookies, counted from now, as they are.
    """
    config = current_app.config
    lasts = config["PERMANENT_SESSION_LIFETIME"]
    if remember:
        lasts = max(lasts, config["REMEMBER_COOKIE_DURATION"])
    session_id = secrets.token_urlsafe(32)
    now = utcnow()
    record = UserSession(user=user, id_hash=_digest(session_id),
                         device=device_label(request.user_agent.string), created_at=now,
                         last_seen_at=now, expires_at=now + lasts)
    db.session.add(record)
    user.session_id, user.session_record = session_id, record
    return record


@cache
def _live_sign_in(plain: bool):
    """The loader's statement, built once: the person, role names, sign-in and unread count.

    The sign-in and the roles come as plain columns (no objects to build for every request):
    `User.session_record` reads the row when a page asks for it, and `User.roles` the rows when
    they are edited. `plain`: the person's columns too (for `Person`), not a `User`.
    """
    from portal.blueprints.notifications.models import Notification

    unread = (select(func.count()).where(Notification.user_id == User.id,
                                         Notification.read_at.is_(None))
              .correlate(User).scalar_subquery())
    roles = (select(func.aggregate_strings(UserRole.role, " ")).where(UserRole.user_id == User.id)
             .correlate(User).scalar_subquery())
    statement = (select(User.__table__ if plain else User, UserSession.id,
                        UserSession.last_seen_at, unread, roles)
                 .join(UserSession, UserSession.user_id == User.id)
                 .where(UserSession.id_hash == bindparam("id_hash"),
                        UserSession.ended_at.is_(None), UserSession.expires_at > bindparam("now"),
                        User.active.is_(True)))
    return statement if plain else statement.options(lazyload(User.role_rows))


# Views (GET only) that read of the signed-in person no more than who they are (`Person`):
# view -> whether the loader reads on the request's plain_reads connection.
WHO_ONLY: dict = {}


def reads_who_only(view=None, *, apart: bool = False):
    """Mark a GET view whose requests read of the signed-in person only the columns of `User`,
    `roles`, `has_role` and the sign-in: the loader then reads them as one plain row (`Person`),
    without building an ORM object (a third of the menu page's time). Anything else it reads
    of the person loads the `User` then, with one query. `apart`: the row is read on the
    request's `plain_reads` connection, and so are the view's `portal.sql.rows` reads (the
    menu, home, the modules' main pages, the queue); else on the session's (tonight's
    headcount)."""
    def mark(view):
        WHO_ONLY[view] = apart
        return view

    return mark if view is None else mark(view)


def load_user(session_id: str) -> "User | Person | None":
    """Flask-Login's user loader: the active person of a live sign-in, in one query."""
    now = utcnow()
    apart = (WHO_ONLY.get(current_app.view_functions.get(request.endpoint))
             if has_request_context() and request.method == "GET" else None)
    plain = apart is not None
    params = {"id_hash": _digest(session_id), "now": now}
    if plain:
        row = sql.first(_live_sign_in(True), params,
                        plain_reads() if apart else db.session.connection())
    else:
        row = db.session.execute(_live_sign_in(False), params).first()
    if row is None:
        return None
    if plain:
        names = _column_names()
        user = Person(dict(zip(names, row[:len(names)], strict=True)))
        record_id, last_seen_at, user.unread_at_load, roles = row[len(names):]
    else:
        user, record_id, last_seen_at, user.unread_at_load, roles = row
    user.roles_at_load = frozenset((roles or "").split())
    if last_seen_at <= now - TOUCH_EVERY:
        _touch(record_id, now)
    user.session_id, user.session_record_id = session_id, record_id
    return user


@cache
def _column_names() -> tuple[str, ...]:
    return tuple(User.__table__.columns.keys())


class Person:
    """The signed-in person as the plain row the loader read, for `reads_who_only` views: the
    columns of `User` as attributes, and what `User` answers from the loader's values. Any other
    attribute (a relationship, a method) comes from the `User`, read once when first asked for;
    the views that write never get a `Person`."""

    is_authenticated = True
    is_anonymous = False
    session_id = session_record_id = roles_at_load = unread_at_load = None

    def __init__(self, columns: dict) -> None:
        self.__dict__.update(columns)

    @property
    def roles(self) -> frozenset[str]:
        return self.roles_at_load

    def has_role(self, *roles: str) -> bool:
        return not self.roles_at_load.isdisjoint(roles)

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return self.session_id

    @cached_property
    def user(self) -> User:
        """The person as a `User` (in this request's database session), with the loader's
        sign-in, roles and unread count."""
        user = db.session.get(User, self.id, options=[lazyload(User.role_rows)])
        for name in ("session_id", "session_record_id", "roles_at_load", "unread_at_load"):
            setattr(user, name, getattr(self, name))
        return user

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.user, name)

    def __str__(self) -> str:
        return self.name

    def __eq__(self, other):
        if isinstance(other, Person | User):
            return self.id == other.id
        return NotImplemented

    __hash__ = object.__hash__


def _touch(record_id: int, now: datetime) -> None:
    """Note that the sign-in is in use, in a short transaction of its own.

    Its own, so that it never commits (nor waits for) the request's work; conditional, so that
    concurrent requests write it once. Best effort: a busy SQLite file does not fail the page.
    """
    try:
        with db.engine.begin() as connection:
            connection.execute(
                update(UserSession)
                .where(UserSession.id == record_id, UserSession.last_seen_at <= now - TOUCH_EVERY)
                .values(last_seen_at=now))
    except OperationalError:
        logging.getLogger(__name__).warning("last seen of sign-in %s not written", record_id)


def end(record: UserSession) -> None:
    """End one sign-in: its cookies, wherever they are, let nobody in any more."""
    record.ended_at = utcnow()


def active_for(user: User) -> list[UserSession]:
    """The person's live sign-ins, the most recently used first."""
    return list(db.session.scalars(
        select(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None),
               UserSession.expires_at > utcnow())
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())))


def get_active(user: User, record_id: int) -> UserSession:
    """One of the person's live sign-ins; 404 for anyone else's, or an ended one."""
    return db.first_or_404(select(UserSession).where(
        UserSession.id == record_id, UserSession.user_id == user.id,
        UserSession.ended_at.is_(None), UserSession.expires_at > utcnow()))


def purge(now: datetime | None = None) -> int:
    """Delete sign-ins ended or expired more than KEEP_ENDED ago; returns how many."""
    cutoff = (now or utcnow()) - KEEP_ENDED
    result = db.session.execute(delete(UserSession).where(
        or_(UserSession.ended_at < cutoff, UserSession.expires_at < cutoff)))
    return result.rowcount
