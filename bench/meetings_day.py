"""Benchmark: the room day view (and my meetings) with 50 rooms and 1,000 vs 100,000 bookings.

Prints time per page (fastest of several requests) and SQL queries per page; both should stay
flat as the bookings pile up (the day view reads one day's bookings on the (held, start) index,
my meetings one person's on theirs). The day looked at has the same 300 bookings at every
size; only the history behind it grows. Builds its data with bulk inserts in a scratch SQLite file,
and also in PostgreSQL when --pg is given (database wt_meetings; its schema is dropped and
rebuilt, with the exclusion constraint in force).

    .venv/bin/python bench/meetings_day.py [--pg] [--sizes 1000,100000]
"""

import random
import sys
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert  # noqa: E402

from bench import _common as common  # noqa: E402
from portal.blueprints.accounts.models import User, UserRole  # noqa: E402
from portal.blueprints.meetings.models import Attendee, Meeting, Room  # noqa: E402
from portal.blueprints.repairs.models import Location  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.timeutil import local_today, portal_tz  # noqa: E402

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/wt_meetings"
ROOMS = 50
HOURS = range(8, 20)  # one-hour bookings, 12 a day per room


def _pages() -> dict[str, str]:
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    return {
        "day view (today, 300 bookings)": f"/meetings/rooms?day={today}",
        "day view htmx region (tomorrow)": f"/meetings/rooms?day={today + timedelta(days=1)}",
        "my meetings": "/meetings/",
    }


def build(size: int, rng: random.Random) -> None:
    """200 people, 50 rooms, `size` one-hour bookings (today's the same at every size)."""
    password = common.bench_password_hash()
    now = datetime.now(UTC)
    users = [common.user_row(i, password, now, session_token=f"{i:032d}") for i in range(1, 201)]
    db.session.execute(insert(User), users)
    db.session.execute(insert(UserRole), [{"user_id": u["id"], "role": "employee"} for u in users])
    db.session.execute(insert(Location), [
        {"id": i, "building": f"{i % 3 + 1}号楼", "floor": f"{i % 5 + 1}层", "room": f"会议室{i}",
         "active": True} for i in range(1, ROOMS + 1)])
    db.session.execute(insert(Room), [
        {"id": i, "location_id": i, "capacity": 10 + i % 20, "equipment": "projector screen",
         "needs_approval": False, "active": True} for i in range(1, ROOMS + 1)])
    # Today looks the same at every size (six meetings a room, every other hour); the rest
    # of the bookings are history, back to back before today, the more the further back.
    today = local_today()
    slots = [(today, hour) for hour in HOURS[::2]]
    per_room = max(size // ROOMS - len(slots), 0)
    slots += [(today - timedelta(days=1 + k // len(HOURS)), HOURS[k % len(HOURS)])
              for k in range(per_room)]
    rows, n = common.Batches(Meeting, Attendee), 0
    for room in range(1, ROOMS + 1):
        for day, hour in slots:
            start = datetime.combine(day, clock(hour), tzinfo=portal_tz())
            n += 1
            rows.add(Meeting, {
                "id": n, "organiser_id": rng.randint(1, 200), "title": f"会议{n}",
                "agenda": "", "room_id": room, "starts_at": start,
                "ends_at": start + timedelta(hours=1), "status": "confirmed",
                "room_held": True, "series_id": None, "sequence": 0, "minute_taker_id": None,
                "minutes": "", "minutes_at": None, "checked_in_at": None, "released_at": None,
                "fault_number": "", "created_at": now})
            rows.add(Attendee, {"id": n, "meeting_id": n, "user_id": rng.randint(1, 200),
                                "response": "", "responded_at": None})
    rows.send()
    common.finish_load()


def measure(app, repeats: int = 7) -> dict[str, tuple[float, int]]:
    return common.measure_pages(app, _pages(), repeats)


def run(url: str, sizes: list[int], name: str) -> None:
    def load(size: int) -> str:
        build(size, random.Random(size))
        return f"{size:,} bookings"

    table = common.measure_sizes(url, sizes, name, load, measure)
    common.print_table(f"{name}: fastest ms per page / SQL queries per page ({ROOMS} rooms)",
                       [f"{size:,} bookings" for size in sizes], table, 34, 21)


def main() -> None:
    sizes, pg = common.parse_sizes(__doc__, "1000,100000", "also run on PostgreSQL wt_meetings")
    sizes = [int(size) for size in sizes]
    common.on_sqlite_and_pg(lambda url, name: run(url, sizes, name), PG_URL if pg else "")


if __name__ == "__main__":
    main()
