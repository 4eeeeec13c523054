"""The one way to ask whether a day is worked: is_working_day, day_info, working_days_between.

Without a row a day is ordinary: Monday to Friday worked, the weekend not.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.blueprints.calendar.models import CLOSURE, DAY_OFF, HOLIDAY, KINDS, MAKE_UP, CompanyDay
from portal.extensions import db

# The names chinese-calendar gives (its Holiday values), in both languages of the portal.
OFFICIAL_NAMES = {
    "New Year's Day": _l("New Year's Day"),
    "Spring Festival": _l("Spring Festival"),
    "Tomb-sweeping Day": _l("Tomb-sweeping Day"),
    "Labour Day": _l("Labour Day"),
    "Dragon Boat Festival": _l("Dragon Boat Festival"),
    "National Day": _l("National Day"),
    "Mid-autumn Festival": _l("Mid-autumn Festival"),
}


@dataclass(frozen=True)
class DayInfo:
    day: date
    working: bool
    kind: str | None  # None: an ordinary weekday or weekend
    name: str  # shown in the reader's language ("" for an ordinary day)
    official: bool = False

    @property
    def holiday_name(self) -> str:
        return self.name if self.kind == HOLIDAY else ""

    @property
    def make_up(self) -> bool:
        return self.kind == MAKE_UP

    @property
    def company_day_off(self) -> bool:
        return self.kind in (DAY_OFF, CLOSURE)

    @property
    def closed(self) -> bool:
        """A day off that is not simply a weekend: holiday, company day off, site closed."""
        return self.kind in (HOLIDAY, DAY_OFF, CLOSURE)

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind]) if self.kind else ""


def entries_between(first: date, last: date) -> dict[date, CompanyDay]:
    """The calendar's rows from `first` to `last`, both included."""
    rows = db.session.scalars(
        select(CompanyDay).where(CompanyDay.day >= first, CompanyDay.day <= last))
    return {row.day: row for row in rows}


def shown_name(row: CompanyDay) -> str:
    if row.official:
        name = OFFICIAL_NAMES.get(row.name, row.name)
        return _("%(name)s (make-up day)", name=name) if row.kind == MAKE_UP else str(name)
    return row.name


def info_of(day: date, row: CompanyDay | None) -> DayInfo:
    if row is None:
        return DayInfo(day, day.weekday() < 5, None, "")
    return DayInfo(day, row.working, row.kind, shown_name(row), row.official)


def day_info(day: date) -> DayInfo:
    return info_of(day, db.session.get(CompanyDay, day))


def is_working_day(day: date) -> bool:
    return day_info(day).working


def days_between(first: date, last: date) -> list[DayInfo]:
    """Every day from `first` to `last` (both included) with what the calendar says of it."""
    rows = entries_between(first, last)
    return [info_of(first + timedelta(days=n), rows.get(first + timedelta(days=n)))
            for n in range((last - first).days + 1)]


def working_days_between(first: date, last: date) -> list[date]:
    """The working days from `first` to `last`, both included."""
    return [info.day for info in days_between(first, last) if info.working]


def next_working_day(after: date, limit: int = 60) -> date:
    """The first working day after `after`."""
    for info in days_between(after + timedelta(days=1), after + timedelta(days=limit)):
        if info.working:
            return info.day
    raise ValueError(f"no working day in the {limit} days after {after}")
