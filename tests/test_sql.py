"""portal.sql.rows: a statement built once, sent on the connection's own cursor, gives exactly
what SQLAlchemy gives (values, types, the session's uncommitted rows), on both databases."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import bindparam, event, func, select
from sqlalchemy.exc import DBAPIError

from portal import sql
from portal.blueprints.accounts.models import User, UserRole, UserSession
from portal.blueprints.accounts.sessions import _live_sign_in
from portal.extensions import db
from portal.sql import one_of
from portal.timeutil import utcnow
from tests.factories import make_user

# Columns of every kind the pages read: text, whole numbers, booleans, an instant (UTC), a
# fixed list of bound literals, a postcompiled separator (aggregate_strings), a count.
PEOPLE = (select(User.id, User.name, User.active, User.must_change_password,
                 select(func.aggregate_strings(UserRole.role, " "))
                 .where(UserRole.user_id == User.id).correlate(User).scalar_subquery()
                 .label("roles"),
                 select(func.count()).where(UserSession.user_id == User.id)
                 .correlate(User).scalar_subquery().label("sign_ins"))
          .where(User.id >= bindparam("from_id"), one_of(User.language, ["zh_CN", "en"]))
          .order_by(User.id))
SIGN_INS = (select(UserSession.id, UserSession.created_at, UserSession.expires_at,
                   UserSession.ended_at)
            .where(UserSession.user_id == bindparam("person"),
                   UserSession.expires_at > bindparam("now"))
            .order_by(UserSession.id))


def _sign_in(user, *, hours: int) -> UserSession:
    now = utcnow()
    record = UserSession(user=user, id_hash=f"{user.id}-{hours}", device="", created_at=now,
                         last_seen_at=now, expires_at=now + timedelta(hours=hours))
    db.session.add(record)
    db.session.commit()
    return record


def test_rows_are_what_sqlalchemy_gives(app):
    first = make_user("employee", "office", name="王小明")
    make_user(name="Anna", language="en", active=False)
    make_user(name="不列出", language="fr")
    _sign_in(first, hours=2)
    _sign_in(first, hours=-1)

    for _ in range(2):  # the first run makes the plan, the second uses it
        fast = sql.rows(PEOPLE, {"from_id": first.id})
        assert fast == db.session.execute(PEOPLE, {"from_id": first.id}).all()
    assert [(row.name, row.active, sorted(row.roles.split()), row.sign_ins) for row in fast] == [
        ("王小明", True, ["employee", "office"], 2), ("Anna", False, ["employee"], 0)]
    assert type(fast[0].active) is bool and type(fast[0].must_change_password) is bool

    now = utcnow()
    (live,) = sql.rows(SIGN_INS, {"person": first.id, "now": now})
    assert live == db.session.execute(SIGN_INS, {"person": first.id, "now": now}).one()
    assert live.created_at.tzinfo == UTC and live.ended_at is None
    assert live.expires_at - now > timedelta(hours=1)


def test_the_sign_in_statement_reads_the_same_row(app):
    """The loader's own statement (postcompiled separator, bound True, a join)."""
    user = make_user("employee", "canteen")
    record = _sign_in(user, hours=1)
    params = {"id_hash": record.id_hash, "now": utcnow()}
    statement = _live_sign_in(True)
    assert sql.first(statement, params) == db.session.execute(statement, params).first()
    assert sql.first(statement, params).name == user.name
    assert sql.first(statement, {**params, "now": utcnow() + timedelta(hours=2)}) is None


def test_reads_what_the_session_has_not_committed(app):
    """On the session's connection: inside its transaction, like any of its statements."""
    user = make_user()
    db.session.add(UserSession(user=user, id_hash="uncommitted", device="", created_at=utcnow(),
                               last_seen_at=utcnow(), expires_at=utcnow() + timedelta(hours=1)))
    db.session.flush()
    assert len(sql.rows(SIGN_INS, {"person": user.id, "now": utcnow()})) == 1
    db.session.rollback()
    assert sql.rows(SIGN_INS, {"person": user.id, "now": utcnow()}) == []


def test_each_execution_binds_its_own_values(app):
    early, late = make_user(), make_user()
    assert [row.id for row in sql.rows(PEOPLE, {"from_id": early.id})] == [early.id, late.id]
    assert [row.id for row in sql.rows(PEOPLE, {"from_id": late.id})] == [late.id]
    assert sql.rows(PEOPLE, {"from_id": late.id + 1}) == []
    with pytest.raises(KeyError):
        sql.rows(PEOPLE, {})  # a value missing is an error, never the last execution's


def test_a_listened_engine_sees_every_statement(app):
    """While something listens to the engine (a test counting statements), the statement goes
    through SQLAlchemy and its events."""
    user_id = make_user().id
    seen = []

    def note(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        assert [row.id for row in sql.rows(PEOPLE, {"from_id": user_id})] == [user_id]
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    assert len(seen) == 1 and "AS sign_ins" in seen[0]


def test_a_list_parameter_goes_through_sqlalchemy(app):
    """An expanding IN is written anew for each list: never planned once."""
    users = [make_user(), make_user(), make_user()]
    statement = select(User.id).where(User.id.in_(bindparam("ids", expanding=True)))
    assert sql.rows(statement, {"ids": [users[0].id]}) == [(users[0].id,)]
    assert sorted(sql.rows(statement, {"ids": [u.id for u in users]})) == sorted(
        (u.id,) for u in users)


def test_a_database_error_is_sqlalchemys(app):
    """The driver's error is raised by SQLAlchemy (wrapped, its connection handled), which the
    portal's error pages know."""
    broken = select(func.no_such_function(User.id)).where(User.id == bindparam("id"))
    with pytest.raises(DBAPIError):
        sql.rows(broken, {"id": 1})
    db.session.rollback()
    user = make_user()
    assert sql.one(select(User.name).where(User.id == bindparam("id")), {"id": user.id}) == (
        user.name,)


def test_the_first_runs_instant_is_not_kept(app):
    """Bound values of the first execution are not reused: only the statement's own literals."""
    user = make_user()
    _sign_in(user, hours=1)
    later = datetime.now(UTC) + timedelta(hours=3)
    assert len(sql.rows(SIGN_INS, {"person": user.id, "now": utcnow()})) == 1
    assert sql.rows(SIGN_INS, {"person": user.id, "now": later}) == []
