"""Time: stored in UTC, shown and reasoned about in the portal's time zone.

The portal's one clock: every "now" comes from `utcnow` or `local_now`, which read
`datetime.now`, so tests set the time with the `time-machine` package (the `time_machine`
fixture), never by patching a module.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


def portal_tz() -> ZoneInfo:
    return ZoneInfo(current_app.config["TIMEZONE"])


def local_now() -> datetime:
    """Now, in the portal's time zone (Asia/Shanghai unless configured)."""
    return datetime.now(portal_tz())


def local_today() -> date:
    return local_now().date()


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def parse_hhmm(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def local_at(day: date, hhmm: str, tz=None) -> datetime:
    """The aware local datetime of `hhmm` on `day` (portal time zone unless `tz` is given)."""
    return datetime.combine(day, parse_hhmm(hhmm), tzinfo=tz or portal_tz())


def to_local(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(portal_tz())


class UTCDateTime(TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out, on SQLite and PostgreSQL alike."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)
