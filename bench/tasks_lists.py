"""Benchmark: "my tasks", the home panel, a task page and the office's overview with 1,000 vs
100,000 tasks.

Prints time per page (fastest of several requests) and SQL queries per page. Every page should
stay flat as the table grows: the lists read open tasks only (about 3% of them, or a fixed
number with "100000:30") through indexes, at most 100 a list; the overview counts open tasks by
department in the database. The office's XLSX export writes every open task, so it grows with
the open tasks (not with the table). Builds its data with bulk inserts in a scratch SQLite file,
and also in PostgreSQL when --pg is given (database bench_tasks, created if missing; its schema
is dropped and rebuilt).

    .venv/bin/python bench/tasks_lists.py [--pg] [--sizes 1000:30,100000,100000:30]
"""

import os
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, insert, text  # noqa: E402

from bench import _common as common  # noqa: E402
from portal.blueprints.accounts.models import Department, User, UserRole  # noqa: E402
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
    password = common.bench_password_hash()
    now = datetime.now(UTC)
    db.session.execute(insert(Department), [{"id": d, "name": f"部门{d}", "head_id": None}
                                            for d in range(1, DEPARTMENTS + 1)])
    db.session.execute(insert(User), [
        common.user_row(i, password, now, department_id=(i - 1) % DEPARTMENTS + 1,
                        session_token=f"{i:032d}") for i in range(1, PEOPLE + 1)])
    db.session.execute(insert(UserRole), [{"user_id": i, "role": "employee"}
                                          for i in range(1, PEOPLE + 1)]
                       + [{"user_id": 2, "role": "office"}])
    for d in range(1, DEPARTMENTS + 1):  # user d is in department d: its head
        db.session.execute(text("UPDATE departments SET head_id = :d WHERE id = :d"), {"d": d})
    rows = common.Batches(Task, TaskEvent)
    for n in range(1, size + 1):
        created = now - timedelta(minutes=rng.randint(60, 3 * 365 * 24 * 60))
        is_open = n == 1 or rng.random() < (open_count / size if open_count else 0.03)
        to_department = rng.random() < 0.1
        owner = None if to_department and is_open else rng.randint(1, PEOPLE)
        due = (now + timedelta(hours=rng.randint(-72, 24 * 20)) if is_open
               else created + timedelta(days=rng.randint(1, 30)))
        rows.add(Task, {
            "id": n, "title": f"任务{n}", "details": "", "acceptance": "按要求完成",
            "assigner_id": 1 if n == 1 else rng.randint(1, PEOPLE), "owner_id": owner,
            "department_id": rng.randint(1, DEPARTMENTS) if to_department else None,
            "due_at": due, "status": rng.choice(ACTIVE) if is_open else "accepted",
            "result": "", "source_kind": "", "source_id": None, "created_at": created,
            "closed_at": None if is_open else due})
        for k in range(10 if n == 1 else 1):
            rows.add(TaskEvent, {"task_id": n, "actor_id": owner or 1,
                                 "action": "created" if k == 0 else "progress", "note": "",
                                 "created_at": created + timedelta(hours=k)})
    rows.send()
    common.finish_load(tasks_id_seq=size)


def measure(app, repeats: int = 7) -> dict[str, tuple[float, int]]:
    clients = {}
    results = {}
    with common.counting_queries() as counter:
        for label, (number, url) in PAGES.items():
            if number not in clients:
                clients[number] = app.test_client()
                with app.app_context():  # its own `g`: the signed-in person is kept there
                    common.login(clients[number], number)

            def fetch(url, client=clients[number]):
                with app.app_context():
                    return client.get(url)

            results[label] = common.time_page(fetch, url, counter, repeats)
    return results


def run(url: str, sizes: list[str], name: str) -> None:
    """`sizes` like "1000" (3% open) or "100000:30" (100,000 tasks, about 30 open)."""
    def load(spec: str) -> str:
        size, _, open_count = spec.partition(":")
        build(int(size), random.Random(int(size)), int(open_count) if open_count else None)
        open_now = db.session.scalar(text(
            "SELECT count(*) FROM tasks WHERE status <> 'accepted'"))
        return f"{int(size):,} tasks ({open_now:,} open)"

    table = common.measure_sizes(url, sizes, name, load, measure)
    common.print_table(f"{name}: fastest ms per page / SQL queries per page",
                       [_title(size) for size in sizes], table, 32, 22)


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
    sizes, pg = common.parse_sizes(__doc__, "1000:30,100000,100000:30",
                                   "also run on PostgreSQL bench_tasks")
    if pg and not os.environ.get("BENCH_PG_URL"):
        _create_pg_database()
    common.on_sqlite_and_pg(lambda url, name: run(url, sizes, name), PG_URL if pg else "")


if __name__ == "__main__":
    main()
