"""Writes: fill a year from China's official schedule, the office's own days, removing them.

Services flush and audit; the route commits.
"""

from datetime import date, timedelta

import chinese_calendar

from portal.blueprints.audit.services import record
from portal.blueprints.calendar.models import MAKE_UP, CompanyDay
from portal.extensions import db


class ScheduleMissing(LookupError):
    """chinese-calendar has no official schedule for that year yet."""


def official_days(year: int) -> dict[date, tuple[str, str]]:
    """{day: (kind, English name)} of China's official schedule for `year`.

    Days off with a holiday's name (weekends inside a holiday included) and weekend days
    worked in exchange (调休). Raises ScheduleMissing for a year the library does not know.
    """
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError as error:
        raise ScheduleMissing(str(error)) from None
    days = {}
    day = date(year, 1, 1)
    while day.year == year:
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
        if day.weekday() >= 5 and not on_holiday:
            days[day] = (MAKE_UP, name or "")
        elif on_holiday and name:
            days[day] = ("holiday", name)
        day += timedelta(days=1)
    return days


def fill_year(year: int) -> int:
    """Write the year's official days; days the office entered or overrode are kept.

    Returns how many days were written. Official rows that the schedule no longer has are
    removed (a corrected release of the library).
    """
    official = official_days(year)
    rows = {row.day: row for row in db.session.scalars(
        db.select(CompanyDay).where(CompanyDay.day >= date(year, 1, 1),
                                    CompanyDay.day <= date(year, 12, 31)))}
    for day, row in rows.items():
        if row.official and day not in official:
            db.session.delete(row)
    written = 0
    for day, (kind, name) in official.items():
        row = rows.get(day)
        if row is not None and not row.official:
            continue
        row = row or CompanyDay(day=day)
        row.kind, row.name, row.official = kind, name, True
        db.session.add(row)
        written += 1
    db.session.flush()
    record("calendar.fill", f"calendar:{year}", days=written)
    return written


def set_days(first: date, last: date, kind: str, name: str) -> int:
    """The office's own entry for every day from `first` to `last`: it overrides the schedule."""
    count = 0
    day = first
    while day <= last:
        row = db.session.get(CompanyDay, day) or CompanyDay(day=day)
        row.kind, row.name, row.official = kind, name.strip(), False
        db.session.add(row)
        day += timedelta(days=1)
        count += 1
    db.session.flush()
    target = f"calendar:{first}" if first == last else f"calendar:{first}..{last}"
    record("calendar.set", target, kind=kind, name=name.strip(), days=count)
    return count


def remove_day(row: CompanyDay) -> None:
    """Remove the office's entry; the official schedule's day (if any) comes back."""
    day = row.day
    db.session.delete(row)
    db.session.flush()
    try:
        official = official_days(day.year).get(day)
    except ScheduleMissing:
        official = None
    if official is not None:
        db.session.add(CompanyDay(day=day, kind=official[0], name=official[1], official=True))
        db.session.flush()
    record("calendar.remove", f"calendar:{day}")
