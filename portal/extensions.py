"""Extensions, created unbound; create_app binds them."""

import logging
from contextlib import suppress

from flask import g
from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints, so Alembic can alter them on SQLite (batch mode) and PostgreSQL alike.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class PortalSQLAlchemy(SQLAlchemy):
    """Flask-SQLAlchemy whose end-of-request clean-up never raises.

    Removing the session rolls back on its connection; if the database dropped that connection
    (a restart, pg_terminate_backend, a failover) the rollback raises after the response is made,
    outside every error handler, and the server answers its own bare 500. The request is over:
    the connection is discarded instead, and the next request gets a fresh one (pool_pre_ping).
    """

    def _teardown_session(self, exc: BaseException | None) -> None:
        reads = g.pop(PLAIN_READS, None)
        if reads is not None:
            try:
                reads.close()
            except Exception:  # dropped by the database: discarded, never rolled back
                with suppress(Exception):
                    reads.invalidate()
        try:
            self.session.remove()
        except Exception as error:
            logging.getLogger(__name__).warning(
                "database connection lost at the end of a request: %s", error)
            discard_session()


PLAIN_READS = "portal_plain_reads"


def plain_reads():
    """A connection of the request's own for reads of plain columns outside the ORM session
    (the user loader's row and the menu's personal row on the pages that read only who is
    signed in), checked out at the first and returned when the request ends. A statement
    there costs half what it does in the session, which opens and closes a transaction of its
    own around it. Only for GET pages: it does not see what the session has not committed."""
    connection = g.get(PLAIN_READS)
    if connection is None:
        connection = db.engine.connect()
        setattr(g, PLAIN_READS, connection)
    return connection


def discard_session() -> None:
    """Forget this context's session and its connection (invalidated, never rolled back)."""
    try:
        db.session.invalidate()
    except Exception:  # the connection is gone already; nothing left to close
        pass
    db.session.registry.clear()


db = PortalSQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
