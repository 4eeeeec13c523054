"""Login throttling in Redis: shared by every app server, forgotten after the lock time."""

from flask import current_app

from portal.redis_conn import get_redis


def _keys(employee_no: str, address: str) -> list[str]:
    return [f"login-fail:no:{employee_no.strip().lower()}", f"login-fail:ip:{address}"]


def is_locked(employee_no: str, address: str) -> bool:
    limit = current_app.config["LOGIN_MAX_FAILURES"]
    redis = get_redis()
    no_key, ip_key = _keys(employee_no, address)
    # One address may try many accounts (a shared kiosk), but not endlessly.
    return int(redis.get(no_key) or 0) >= limit or int(redis.get(ip_key) or 0) >= limit * 4


def record_failure(employee_no: str, address: str) -> None:
    seconds = current_app.config["LOGIN_LOCK_SECONDS"]
    pipe = get_redis().pipeline()
    for key in _keys(employee_no, address):
        pipe.incr(key)
        pipe.expire(key, seconds)
    pipe.execute()


def clear(employee_no: str) -> None:
    get_redis().delete(_keys(employee_no, "")[0])
