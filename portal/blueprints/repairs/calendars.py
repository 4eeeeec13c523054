"""Working-hours calendars, targets and the on-call rota.

Ordinary requests count office hours (Mon–Fri 08:30–17:30 local time, minus public holidays,
plus weekend days worked in exchange, 调休); lab equipment counts every minute, 24/7.
"""

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from portal.blueprints.accounts.models import User
from portal.blueprints.audit.services import record
from portal.blueprints.calendar.queries import entries_between
from portal.blueprints.repairs.models import (
    CHANNELS,
    LAB,
    URGENCIES,
    OnCallShift,
    RepairSettings,
    RepairTarget,
)
from portal.extensions import db
from portal.settings import read_settings
from portal.timeutil import portal_tz, to_local

OFFICE_START = time(8, 30)
OFFICE_END = time(17, 30)

# (response, resolution) in minutes, per urgency. Office-hours minutes for ordinary requests
# (a working day is 9 hours = 540 minutes), clock minutes for the 24-hour lab channel.
# The defaults: facilities' rows in repair_targets (seeded with these values) take precedence.
TARGETS = {
    "office": {
        "urgent": (60, 4 * 60),
        "normal": (4 * 60, 2 * 540),
        "low": (540, 5 * 540),
    },
    "lab": {
        "urgent": (30, 4 * 60),
        "normal": (60, 24 * 60),
        "low": (4 * 60, 72 * 60),
    },
}


def channel(category: str) -> str:
    return "lab" if category == LAB else "office"


def target_minutes(kind: str, urgency: str) -> tuple[int, int]:
    """(response, resolution) minutes of a channel and urgency: facilities' row, else default."""
    row = db.session.get(RepairTarget, (kind, urgency))
    if row is None:
        return TARGETS[kind][urgency]
    return row.response_minutes, row.resolution_minutes


def all_target_minutes() -> dict[tuple[str, str], tuple[int, int]]:
    """(response, resolution) minutes of every channel and urgency, for the settings page."""
    rows = {(row.channel, row.urgency): (row.response_minutes, row.resolution_minutes)
            for row in db.session.scalars(select(RepairTarget))}
    return {(kind, urgency): rows.get((kind, urgency), TARGETS[kind][urgency])
            for kind in CHANNELS for urgency in URGENCIES}


def set_targets(minutes: dict[tuple[str, str], tuple[int, int]]) -> dict[str, dict]:
    """Store new targets; returns what changed, as recorded in the audit log.

    {"office_urgent": {"before": [60, 240], "after": [30, 240]}}, in (response, resolution)
    minutes. Requests already filed keep their due times, computed when they were filed.
    """
    before = all_target_minutes()
    changes = {}
    for (kind, urgency), (response, resolution) in minutes.items():
        row = db.session.get(RepairTarget, (kind, urgency))
        if row is None:
            row = RepairTarget(channel=kind, urgency=urgency)
            db.session.add(row)
        row.response_minutes, row.resolution_minutes = response, resolution
        if before[kind, urgency] != (response, resolution):
            changes[f"{kind}_{urgency}"] = {"before": list(before[kind, urgency]),
                                             "after": [response, resolution]}
    db.session.flush()
    if changes:
        record("repairs.targets", "repair_targets", **changes)
    return changes


def _exceptions(start: date, end: date) -> dict[date, bool]:
    """The company calendar's days between two days: {day: is a working day}."""
    return {day: row.working for day, row in entries_between(start, end).items()}


class OfficeCalendar:
    """Office hours in the portal's time zone, the company calendar read once per use."""

    def __init__(self, around: datetime, days: int = 60):
        self.tz = portal_tz()
        first = around.astimezone(self.tz).date() - timedelta(days=1)
        self.exceptions = _exceptions(first, first + timedelta(days=days))

    def is_workday(self, day: date) -> bool:
        if day in self.exceptions:
            return self.exceptions[day]
        return day.weekday() < 5

    def _open_close(self, day: date) -> tuple[datetime, datetime]:
        return (datetime.combine(day, OFFICE_START, self.tz),
                datetime.combine(day, OFFICE_END, self.tz))

    def is_open(self, moment: datetime) -> bool:
        local = moment.astimezone(self.tz)
        opens, closes = self._open_close(local.date())
        return self.is_workday(local.date()) and opens <= local < closes

    def next_open(self, moment: datetime) -> datetime:
        """`moment` itself if the office is open, else when it next opens."""
        local = moment.astimezone(self.tz)
        day = local.date()
        for _ in range(60):
            if self.is_workday(day):
                opens, closes = self._open_close(day)
                if local < opens:
                    return opens
                if local < closes:
                    return local
            day += timedelta(days=1)
            local = datetime.combine(day, time(0), self.tz)
        raise ValueError("no working day in the next 60 days")

    def add(self, moment: datetime, minutes: int) -> datetime:
        """The moment `minutes` of office time after `moment`."""
        current = self.next_open(moment)
        left = timedelta(minutes=minutes)
        while True:
            _, closes = self._open_close(current.date())
            if current + left <= closes:
                return current + left
            left -= closes - current
            current = self.next_open(closes + timedelta(seconds=1))


def targets_for(category: str, urgency: str, filed_at: datetime) -> tuple[datetime, datetime]:
    """(response due, resolution due) for a request filed at `filed_at`."""
    kind = channel(category)
    response, resolution = target_minutes(kind, urgency)
    if kind == "lab":
        return filed_at + timedelta(minutes=response), filed_at + timedelta(minutes=resolution)
    calendar = OfficeCalendar(filed_at)
    return calendar.add(filed_at, response), calendar.add(filed_at, resolution)


def resolution_due_from(category: str, urgency: str, moment: datetime) -> datetime:
    """A new resolution target counted from `moment` (used when a request is reopened)."""
    resolution = target_minutes(channel(category), urgency)[1]
    if channel(category) == "lab":
        return moment + timedelta(minutes=resolution)
    return OfficeCalendar(moment).add(moment, resolution)


def looked_at_from(category: str, filed_at: datetime) -> datetime | None:
    """When an ordinary request filed out of hours will be looked at; None when at once."""
    if channel(category) == "lab":
        return None
    calendar = OfficeCalendar(filed_at)
    opens = calendar.next_open(filed_at)
    return None if opens == filed_at.astimezone(calendar.tz) else opens


def on_duty(at: datetime) -> OnCallShift | None:
    """The shift covering `at`; when shifts overlap, the one that started last wins."""
    return db.session.scalar(
        select(OnCallShift)
        .where(OnCallShift.starts_at <= at, OnCallShift.ends_at > at)
        .order_by(OnCallShift.starts_at.desc(), OnCallShift.id.desc())
        .limit(1)
    )


def on_duty_technician(at: datetime):
    """The technician the rota has on duty at `at` (None when nobody, or they have left)."""
    shift = on_duty(at)
    if shift is not None and shift.user.active:
        return shift.user
    return None


ROTA_DAYS = 14  # how far ahead facilities are shown the hours nobody covers


def uncovered(start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """The spans between `start` and `end` that no active technician's shift covers.

    A lab request filed in one of them reaches the lead instead of a technician on duty.
    """
    shifts = db.session.execute(
        select(OnCallShift.starts_at, OnCallShift.ends_at).join(OnCallShift.user)
        .where(OnCallShift.ends_at > start, OnCallShift.starts_at < end, User.active.is_(True))
        .order_by(OnCallShift.starts_at))
    gaps, cursor = [], start
    for starts_at, ends_at in shifts:
        if starts_at > cursor:
            gaps.append((cursor, starts_at))
        cursor = max(cursor, ends_at)
    if cursor < end:
        gaps.append((cursor, end))
    return gaps


def uncovered_by_day(now: datetime, days: int = ROTA_DAYS) -> list[tuple[datetime, list]]:
    """For today and the following days (local midnight): each day's uncovered spans as local
    clock times, e.g. [("08:30", "17:30")]; a span running to midnight ends at "24:00"."""
    tz = portal_tz()
    today = to_local(now).date()
    result = []
    for offset in range(days):
        day = today + timedelta(days=offset)
        day_start = datetime.combine(day, time(0), tz)
        day_end = datetime.combine(day + timedelta(days=1), time(0), tz)
        spans = [(to_local(start).strftime("%H:%M"),
                  "24:00" if end == day_end else to_local(end).strftime("%H:%M"))
                 for start, end in uncovered(max(now, day_start), day_end)]
        result.append((day_start, spans))
    return result


def duty_times(day: date, kind: str) -> tuple[datetime, datetime]:
    """A day duty covers office hours (08:30–17:30); a night duty runs on to 08:30 next day."""
    tz = portal_tz()
    if kind == "day":
        return datetime.combine(day, OFFICE_START, tz), datetime.combine(day, OFFICE_END, tz)
    return (datetime.combine(day, OFFICE_END, tz),
            datetime.combine(day + timedelta(days=1), OFFICE_START, tz))


def on_duty_user(at: datetime):
    """Who gets a reminder for an unassigned request: the technician on duty, else the lead."""
    return on_duty_technician(at) or read_settings(RepairSettings).lead


def short_time(moment: datetime) -> str:
    """Local month-day and time for a notification text, e.g. 11-30 09:30."""
    return to_local(moment).strftime("%m-%d %H:%M")
