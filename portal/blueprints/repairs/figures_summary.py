"""The monthly figures' summaries, kept current in the transaction of every request change.

What the figures page shows is read from two small tables instead of a month of requests:
RepairDayFigures counts per local day and category (opened, responded, closed, resolved, within
target), so a month is the sum of at most 31 x 8 rows; RepairFigureTime holds each request's
response and resolution time under the local month it counts in, so a month's median is read off
an index at the middle position (exact: medians do not add up from days).

Every flush that adds, changes or deletes a request takes back the request's old contribution
and adds its new one (after_flush below), in the same transaction: a rolled-back change leaves
the summaries as they were. Writes that bypass the ORM (a bulk insert, an UPDATE statement on
repair_requests) must be followed by rebuild(): `flask repairs rebuild-figures`, and the nightly
check_figures job compares the last months with the requests and rebuilds when they differ.
Days are local days of the portal's time zone: after changing TIMEZONE, rebuild.
"""

from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, event, insert, inspect, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from portal.blueprints.repairs.models import RepairDayFigures, RepairFigureTime, RepairRequest
from portal.timeutil import portal_tz

RESPONSE, RESOLUTION = "response", "resolution"
# The request columns the figures read (RepairRequest marks them active_history).
WATCHED = ("category", "created_at", "accepted_at", "resolved_at", "closed_at", "response_due",
           "resolution_due")
COUNTS = ("opened", "responded", "closed", "resolved", "within")


def within_targets(values: dict) -> bool:
    """Resolved within the resolution target, and answered (or resolved) within the response one;
    the same test as the figures' SQL over requests."""
    answered = values["accepted_at"] or values["resolved_at"]
    return (values["resolved_at"] <= values["resolution_due"]
            and answered <= values["response_due"])


def _minutes(later: datetime, earlier: datetime) -> float:
    return (later - earlier).total_seconds() / 60


def contribution(values: dict, tz: ZoneInfo) -> tuple[Counter, dict]:
    """What one request adds to the summaries: {(day, category, count): 1} and
    {kind: (month, category, minutes)}."""
    counts, times = Counter(), {}
    category = values["category"]

    def day(at: datetime) -> date:
        return at.astimezone(tz).date()

    created = day(values["created_at"])
    counts[created, category, "opened"] += 1
    if values["accepted_at"] is not None:
        counts[created, category, "responded"] += 1
        times[RESPONSE] = (created.replace(day=1), category,
                           _minutes(values["accepted_at"], values["created_at"]))
    if values["closed_at"] is not None:
        counts[day(values["closed_at"]), category, "closed"] += 1
    if values["resolved_at"] is not None:
        resolved = day(values["resolved_at"])
        counts[resolved, category, "resolved"] += 1
        if within_targets(values):
            counts[resolved, category, "within"] += 1
        times[RESOLUTION] = (resolved.replace(day=1), category,
                             _minutes(values["resolved_at"], values["created_at"]))
    return counts, times


class Changes:
    """The summaries' changes of one flush (or one rebuild), written in a few statements."""

    def __init__(self, tz: ZoneInfo) -> None:
        self.tz = tz
        self.counts: Counter = Counter()
        self.dropped: dict[str, set[int]] = defaultdict(set)  # kind: request ids
        self.added: list[dict] = []

    def add(self, request_id: int, old: dict | None, new: dict | None) -> None:
        old_counts, old_times = contribution(old, self.tz) if old else (Counter(), {})
        new_counts, new_times = contribution(new, self.tz) if new else (Counter(), {})
        self.counts.update(new_counts)
        self.counts.subtract(old_counts)
        for kind in (RESPONSE, RESOLUTION):
            if old_times.get(kind) == new_times.get(kind):
                continue
            if kind in old_times:
                self.dropped[kind].add(request_id)
            if kind in new_times:
                month, category, minutes = new_times[kind]
                self.added.append({"request_id": request_id, "kind": kind, "month": month,
                                   "category": category, "minutes": minutes})

    def write(self, connection) -> None:
        rows = defaultdict(lambda: dict.fromkeys(COUNTS, 0))
        for (day, category, column), n in self.counts.items():
            if n:
                rows[day, category][column] += n
        if rows:
            connection.execute(_add_counts(connection), [
                {"day": day, "category": category, **counts}
                for (day, category), counts in rows.items()])
        for kind, ids in self.dropped.items():
            connection.execute(delete(RepairFigureTime).where(
                RepairFigureTime.kind == kind, RepairFigureTime.request_id.in_(ids)))
        if self.added:
            connection.execute(insert(RepairFigureTime), self.added)


def _add_counts(connection):
    """INSERT a day's row, or add to the one there (atomic: two app servers may add at once)."""
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(RepairDayFigures)
    return statement.on_conflict_do_update(
        index_elements=["day", "category"],
        set_={column: getattr(RepairDayFigures, column) + getattr(statement.excluded, column)
              for column in COUNTS})


def _values(request: RepairRequest) -> dict:
    return {name: getattr(request, name) for name in WATCHED}


def _old_values(request: RepairRequest) -> dict | None:
    """The watched columns as they were before this flush; None if none of them changed."""
    attrs = inspect(request).attrs
    if not any(attrs[name].history.has_changes() for name in WATCHED):
        return None
    old = {}
    for name in WATCHED:
        history = attrs[name].history
        if history.has_changes():  # active_history: an empty `deleted` means it was None
            old[name] = history.deleted[0] if history.deleted else None
        else:
            old[name] = getattr(request, name)
    return old


@event.listens_for(Session, "before_flush")
def _load_deleted_requests(session, _flush_context, _instances) -> None:
    """A request about to be deleted: load what after_flush takes back (its row is gone then)."""
    for obj in session.deleted:
        if isinstance(obj, RepairRequest):
            _values(obj)


@event.listens_for(Session, "after_flush")
def _keep_figures_current(session, _flush_context) -> None:
    """Take back each changed request's old contribution and add its new one, in the flush's
    transaction. Ids and column defaults are known here; attribute history still is."""
    changes = None
    for obj in session.new:
        if isinstance(obj, RepairRequest):
            changes = changes or Changes(portal_tz())
            changes.add(obj.id, None, _values(obj))
    for obj in session.dirty:
        if isinstance(obj, RepairRequest) and (old := _old_values(obj)) is not None:
            changes = changes or Changes(portal_tz())
            changes.add(obj.id, old, _values(obj))
    for obj in session.deleted:
        if isinstance(obj, RepairRequest):
            changes = changes or Changes(portal_tz())
            changes.add(obj.id, _values(obj), None)
    if changes is not None:
        changes.write(session.connection())


def _requests(connection, where=()):
    columns = [RepairRequest.id, *(getattr(RepairRequest, name) for name in WATCHED)]
    result = connection.execute(select(*columns).where(*where).execution_options(yield_per=5000))
    for row in result:
        yield row[0], dict(zip(WATCHED, row[1:], strict=True))


def rebuild(connection, tz: ZoneInfo) -> int:
    """Empty the summaries and count every request again (a bulk load, a new time zone, a check
    that found a difference). Returns how many requests were counted."""
    connection.execute(delete(RepairDayFigures))
    connection.execute(delete(RepairFigureTime))
    changes, n = Changes(tz), 0
    for request_id, values in _requests(connection):
        changes.add(request_id, None, values)
        n += 1
        if len(changes.added) >= 10000:
            changes.write(connection)
            changes = Changes(tz)
    changes.write(connection)
    return n


def expected_months(connection, tz: ZoneInfo, first: date) -> tuple[Counter, set]:
    """Counts and times the summaries should hold from the local month `first` on, from the
    requests themselves (for the check)."""
    start = datetime.combine(first, datetime.min.time(), tz)
    counts, times = Counter(), set()
    since = or_(*(getattr(RepairRequest, name) >= start
                  for name in ("created_at", "resolved_at", "closed_at")))
    for request_id, values in _requests(connection, [since]):
        request_counts, request_times = contribution(values, tz)
        counts.update({key: n for key, n in request_counts.items() if key[0] >= first})
        times.update((request_id, kind, *value) for kind, value in request_times.items()
                     if value[0] >= first)
    return counts, times


def stored_months(connection, first: date) -> tuple[Counter, set]:
    counts = Counter()
    for row in connection.execute(select(RepairDayFigures).where(RepairDayFigures.day >= first)):
        for column in COUNTS:
            if getattr(row, column):
                counts[row.day, row.category, column] = getattr(row, column)
    times = {tuple(row) for row in connection.execute(
        select(RepairFigureTime.request_id, RepairFigureTime.kind, RepairFigureTime.month,
               RepairFigureTime.category, RepairFigureTime.minutes)
        .where(RepairFigureTime.month >= first))}
    return counts, times


def check(connection, tz: ZoneInfo, today: date, months: int = 3) -> bool:
    """Whether the summaries of the last `months` local months match the requests; if not, they
    are rebuilt (all of them: whatever went around the ORM may be older too)."""
    first = today.replace(day=1)
    for _ in range(months - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    expected, stored = expected_months(connection, tz, first), stored_months(connection, first)
    if _same(expected, stored):
        return True
    rebuild(connection, tz)
    return False


def _same(expected: tuple[Counter, set], stored: tuple[Counter, set]) -> bool:
    """Equal counts, and the same times to a millisecond's rounding (floats from two sources)."""
    def rounded(times):
        return {(*key, round(minutes, 4)) for *key, minutes in times}
    return expected[0] == stored[0] and rounded(expected[1]) == rounded(stored[1])

