"""/healthz: can this instance serve pages (readiness), and is each part there.

The database is what pages need: without it the instance is not ready (503) and a load balancer
should take it out. Redis carries the queue, the scheduler and sign-in throttling; pages work
without it, so a Redis outage answers 200 "degraded" (taking every instance out for it would turn
a background outage into a full one). docs/operations.md says what each field means.
"""

import logging

from flask import Blueprint
from sqlalchemy import text

from portal.extensions import db
from portal.redis_conn import get_redis

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)


def _check(name: str, probe) -> str:
    try:
        probe()
    except Exception as error:  # report, never raise: this page must answer
        log.warning("healthz: %s unavailable: %s: %s", name, type(error).__name__, error)
        return "error"
    return "ok"


@bp.get("/healthz")
def healthz():
    """200 "ok"; 200 "degraded" when only Redis is down; 503 "error" without the database."""
    checks = {
        "database": _check("database", lambda: db.session.execute(text("SELECT 1"))),
        "redis": _check("redis", lambda: get_redis().ping()),
    }
    if checks["database"] != "ok":
        db.session.rollback()
        return {"status": "error", **checks}, 503
    status = "ok" if checks["redis"] == "ok" else "degraded"
    return {"status": status, **checks}, 200
