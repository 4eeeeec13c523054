"""Benchmark: "my tasks", the home panel, a task page and the office's overview with 1,000 vs
100,000 tasks.

Prints time per page (median of several requests) and SQL queries per page. Every page should
stay flat as the table grows: the lists read open tasks only (about 3% of them, or a fixed
number with "100000:300") through indexes, at most 100 a list; the overview counts open tasks by
department in the database. The office's XLSX export writes every open task, so it grows with
the open tasks (not with the table). Builds its data with bulk inserts in a scratch SQLite file,
and also in PostgreSQL when --pg is given (database bench_tasks, created if missing; its schema
is dropped and rebuilt).

    .venv/bin/python bench/tasks_lists.py [--pg] [--sizes 1000,100000,100000:300]
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

from sqlalchemy import create_engine, event, insert, text  # noqa: E402

from bench.repairs_queue import _app, _reset_schema  # noqa: E402
from portal.blueprints.accounts.models import Department, User, UserRole  # noqa: E402
from portal.blueprints.accounts.passwords import hash_password  # noqa: E402
from portal.blueprints.tasks.models import Task, TaskEvent  # noqa: E402
from portal.extensions import db  # noqa: E402

PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/"
PG_URL = PG_SERVER + "bench_tasks"
PEOPLE, DEPARTMENTS = 400, 20
# B00001 heads department 1 and owns and assigns tasks like anyone; B00002 is in the office.
PAGES = {
    "my tasks (a department head)": ("B00001", "/tasks/"),
    "home (my tasks panel)": ("B00001", "/"),
    "a task page (10 events)": ("B00001", "/tasks/1"),
    "office overview by department": ("B00002", "/tasks/office"),
    "office XLSX export (all open)": ("B00002", "/tasks/office.xlsx"),
}
ACTIVE = ["open", "in_progress", "submitted", "returned"]


def build(size: int, rng: random.Random, open_count: int | None = None) -> None:
    """People in departments with heads, and `size` tasks over three years (3% or
    `open_count` still open, a third of those past due)."""
    password = hash_password("bench-password")
    now = datetime.now(UTC)
    db.session.execute(insert(Department), [{"id": d, "name": f"部门{d}", "head_id": None}
                                            for d in range(1, DEPARTMENTS + 1)])
    db.session.execute(insert(User), [
        {"id": i, "employee_no": f"B{i:05d}", "name": f"员工{i}", "phone": "", "email": "",
         "language": "zh_CN", "active": True, "password_hash": password,
         "department_id": (i - 1) % DEPARTMENTS + 1, "session_token": f"{i:032d}",
         "created_at": now} for i in range(1, PEOPLE + 1)])
    db.session.execute(insert(UserRole), [{"user_id": i, "role": "employee"}
                                          for i in range(1, PEOPLE + 1)]
                       + [{"user_id": 2, "role": "office"}])
    for d in range(1, DEPARTMENTS + 1):  # user d is in department d: its head
        db.session.execute(text("UPDATE departments SET head_id = :d WHERE id = :d"), {"d": d})
    tasks, events = [], []
    for n in range(1, size + 1):
        created = now - timedelta(minutes=rng.randint(60, 3 * 365 * 24 * 60))
        is_open = n == 1 or rng.random() < (open_count / size if open_count else 0.03)
        to_department = rng.random() < 0.1
        owner = None if to_department and is_open else rng.randint(1, PEOPLE)
        due = (now + timedelta(hours=rng.randint(-72, 24 * 20)) if is_open
               else created + timedelta(days=rng.randint(1, 30)))
        tasks.append({
            "id": n, "title": f"任务{n}", "details": "", "acceptance": "按要求完成",
            "assigner_id": 1 if n == 1 else rng.randint(1, PEOPLE), "owner_id": owner,
            "department_id": rng.randint(1, DEPARTMENTS) if to_department else None,
            "due_at": due, "status": rng.choice(ACTIVE) if is_open else "accepted",
            "result": "", "source_kind": "", "source_id": None, "created_at": created,
            "closed_at": None if is_open else due})
        for k in range(10 if n == 1 else 1):
            events.append({"task_id": n, "actor_id": owner or 1,
                           "action": "created" if k == 0 else "progress", "note": "",
                           "created_at": created + timedelta(hours=k)})
        if len(tasks) == 5000:
            db.session.execute(insert(Task), tasks)
            db.session.execute(insert(TaskEvent), events)
            tasks, events = [], []
    if tasks:
        db.session.execute(insert(Task), tasks)
        db.session.execute(insert(TaskEvent), events)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SELECT setval('tasks_id_seq', :n)"), {"n": size})
        db.session.execute(text("ANALYZE"))
        db.session.commit()


def measure(app, repeats: int = 7) -> dict[str, tuple[float, int]]:
    counter = {"n": 0}

    def count(*_args, **_kwargs):
        counter["n"] += 1

    event.listen(db.engine, "before_cursor_execute", count)
    clients = {}
    results = {}
    for label, (number, url) in PAGES.items():
        if number not in clients:
            clients[number] = app.test_client()
            with app.app_context():  # its own `g`: the signed-in person is kept there
                response = clients[number].post("/login", data={"employee_no": number,
                                                                 "password": "bench-password"})
            assert response.status_code == 303, response.status_code
        client = clients[number]
        with app.app_context():
            client.get(url)  # warm caches and templates
        times, queries = [], []
        for _ in range(repeats):
            counter["n"] = 0
            started = time.perf_counter()
            with app.app_context():
                response = client.get(url)
            times.append(time.perf_counter() - started)
            queries.append(counter["n"])
            assert response.status_code == 200, (url, response.status_code)
        results[label] = (statistics.median(times) * 1000, max(queries))
    event.remove(db.engine, "before_cursor_execute", count)
    return results


def run(url: str, sizes: list[str], name: str) -> None:
    """`sizes` like "1000" (3% open) or "100000:300" (100,000 tasks, about 300 open)."""
    table = {}
    for spec in sizes:
        size, _, open_count = spec.partition(":")
        app = _app(url.format(size=spec.replace(":", "-")))
        with app.app_context():
            _reset_schema()
            started = time.perf_counter()
            build(int(size), random.Random(int(size)), int(open_count) if open_count else None)
            open_now = db.session.scalar(text(
                "SELECT count(*) FROM tasks WHERE status <> 'accepted'"))
            print(f"[{name}] built {int(size):,} tasks ({open_now:,} open) in "
                  f"{time.perf_counter() - started:.1f}s", flush=True)
            table[spec] = measure(app)
            db.session.remove()
            db.engine.dispose()
    print(f"\n{name}: median ms per page / SQL queries per page")
    print(f"{'page':32}" + "".join(f"{_title(size):>22}" for size in sizes))
    for label in PAGES:
        cells = "".join(f"{table[s][label][0]:>14.1f} ms {table[s][label][1]:>3}q" for s in sizes)
        print(f"{label:32}{cells}")
    print()


def _title(spec: str) -> str:
    size, _, open_count = spec.partition(":")
    return f"{int(size):,} ({open_count or '3%'} open)"


def _create_pg_database() -> None:
    engine = create_engine(PG_SERVER + "postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = 'bench_tasks'")):
            conn.execute(text("CREATE DATABASE bench_tasks"))
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", action="store_true", help="also run on PostgreSQL bench_tasks")
    parser.add_argument("--sizes", default="1000,100000,100000:300")
    args = parser.parse_args()
    sizes = args.sizes.split(",")
    with tempfile.TemporaryDirectory() as scratch:
        run(f"sqlite:///{scratch}/bench-{{size}}.db", sizes, "SQLite")
    if args.pg:
        _create_pg_database()
        run(PG_URL, sizes, "PostgreSQL")


if __name__ == "__main__":
    main()
