"""Benchmark: the room day view (and my meetings) with 50 rooms and 1,000 vs 100,000 bookings.

Prints time per page (median of several requests) and SQL queries per page; both should stay
flat as the bookings pile up (the day view reads one day's bookings on the (held, start) index,
my meetings one person's on theirs). The day looked at has the same 300 bookings at every
size; only the history behind it grows. Builds its data with bulk inserts in a scratch SQLite file,
and also in PostgreSQL when --pg is given (database wt_meetings; its schema is dropped and
rebuilt, with the exclusion constraint in force).

    .venv/bin/python bench/meetings_day.py [--pg] [--sizes 1000,100000]
"""

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import event, insert, text  # noqa: E402

from portal import create_app  # noqa: E402
from portal.blueprints.accounts.models import User, UserRole  # noqa: E402
from portal.blueprints.accounts.passwords import hash_password  # noqa: E402
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


def _app(url: str):
    return create_app({
        "TESTING": False, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url,
        "REDIS_URL": "", "REDISLITE_PATH": "", "TIMEZONE": "Asia/Shanghai",
        "WTF_CSRF_ENABLED": False, "SESSION_COOKIE_SECURE": False, "PRODUCTION": False,
        "MAIL_SERVER": "",
    })


def _reset_schema() -> None:
    with db.engine.begin() as conn:
        if db.engine.dialect.name == "postgresql":
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    upgrade(revision="heads")


def build(size: int, rng: random.Random) -> None:
    """200 people, 50 rooms, `size` one-hour bookings (today's the same at every size)."""
    password = hash_password("bench-password")
    now = datetime.now(UTC)
    users = [{"id": i, "employee_no": f"B{i:05d}", "name": f"员工{i}", "phone": "", "email": "",
              "language": "zh_CN", "active": True, "password_hash": password,
              "session_token": f"{i:032d}", "created_at": now} for i in range(1, 201)]
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
    meetings, attendees, n = [], [], 0
    for room in range(1, ROOMS + 1):
        for day, hour in slots:
            start = datetime.combine(day, clock(hour), tzinfo=portal_tz())
            n += 1
            meetings.append({
                "id": n, "organiser_id": rng.randint(1, 200), "title": f"会议{n}",
                "agenda": "", "room_id": room, "starts_at": start,
                "ends_at": start + timedelta(hours=1), "status": "confirmed",
                "room_held": True, "series_id": None, "sequence": 0, "minute_taker_id": None,
                "minutes": "", "minutes_at": None, "checked_in_at": None, "released_at": None,
                "fault_number": "", "created_at": now})
            attendees.append({"id": n, "meeting_id": n, "user_id": rng.randint(1, 200),
                              "response": "", "responded_at": None})
            if len(meetings) == 5000:
                db.session.execute(insert(Meeting), meetings)
                db.session.execute(insert(Attendee), attendees)
                meetings, attendees = [], []
    if meetings:
        db.session.execute(insert(Meeting), meetings)
        db.session.execute(insert(Attendee), attendees)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("ANALYZE"))
        db.session.commit()


def measure(app, repeats: int = 7) -> dict[str, tuple[float, int]]:
    counter = {"n": 0}

    def count(*_args, **_kwargs):
        counter["n"] += 1

    event.listen(db.engine, "before_cursor_execute", count)
    client = app.test_client()
    response = client.post("/login", data={"employee_no": "B00001", "password": "bench-password"})
    assert response.status_code == 303, response.status_code
    results = {}
    for label, url in _pages().items():
        headers = {"HX-Request": "true", "HX-Request-Type": "partial"} if "htmx" in label else {}
        client.get(url, headers=headers)  # warm caches and templates
        times, queries = [], []
        for _ in range(repeats):
            counter["n"] = 0
            started = time.perf_counter()
            response = client.get(url, headers=headers)
            times.append(time.perf_counter() - started)
            queries.append(counter["n"])
            assert response.status_code == 200, (url, response.status_code)
        results[label] = (statistics.median(times) * 1000, max(queries))
    event.remove(db.engine, "before_cursor_execute", count)
    return results


def run(url: str, sizes: list[int], name: str) -> None:
    table = {}
    for size in sizes:
        app = _app(url.format(size=size))
        with app.app_context():
            _reset_schema()
            started = time.perf_counter()
            build(size, random.Random(size))
            print(f"[{name}] built {size:,} bookings in {time.perf_counter() - started:.1f}s",
                  flush=True)
            table[size] = measure(app)
            db.session.remove()
            db.engine.dispose()
    print(f"\n{name}: median ms per page / SQL queries per page ({ROOMS} rooms)")
    print(f"{'page':34}" + "".join(f"{f'{size:,} bookings':>21}" for size in sizes))
    for label in _pages():
        cells = "".join(f"{table[s][label][0]:>13.1f} ms {table[s][label][1]:>3}q" for s in sizes)
        print(f"{label:34}{cells}")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", action="store_true", help="also run on PostgreSQL wt_meetings")
    parser.add_argument("--sizes", default="1000,100000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as scratch:
        run(f"sqlite:///{scratch}/bench-{{size}}.db", sizes, "SQLite")
    if args.pg:
        run(PG_URL, sizes, "PostgreSQL")


if __name__ == "__main__":
    main()
