"""The canteen's clock, in one place so tests can set it (monkeypatch `clock.now`)."""

from datetime import date, datetime, time, timedelta

from portal.timeutil import local_now


def now() -> datetime:
    """Now, aware, in the portal's time zone."""
    return local_now()


def today() -> date:
    return now().date()


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def parse_hhmm(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def at(day: date, hhmm: str, tz) -> datetime:
    """The aware local datetime of `hhmm` on `day`."""
    return datetime.combine(day, parse_hhmm(hhmm), tzinfo=tz)
