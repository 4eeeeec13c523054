"""What the benchmarks share: a portal on a scratch database, timing a page with its SQL queries,
the table they print and their SQLite-then-PostgreSQL runs.

Scripts import it as `bench._common` (they put the repository first on sys.path); run_all.py
skips files starting with "_".
"""

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from datetime import datetime

from flask_migrate import upgrade
from sqlalchemy import event, insert, text

from portal import create_app
from portal.blueprints.accounts.passwords import hash_password
from portal.extensions import db

PASSWORD = "bench-password"
HTMX = {"HX-Request": "true", "HX-Request-Type": "partial"}


def scratch_app(url: str, **overrides):
    """The portal on `url`: no Redis, no mail, no CSRF, cookies over plain HTTP."""
    return create_app({
        "TESTING": False, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url,
        "REDIS_URL": "", "REDISLITE_PATH": "", "TIMEZONE": "Asia/Shanghai",
        "WTF_CSRF_ENABLED": False, "SESSION_COOKIE_SECURE": False, "PRODUCTION": False,
        "MAIL_SERVER": "", **overrides,
    })


def reset_schema() -> None:
    """An empty schema at the newest migration (PostgreSQL's public schema dropped first)."""
    with db.engine.begin() as conn:
        if db.engine.dialect.name == "postgresql":
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    upgrade(revision="heads")


@contextmanager
def scratch_database(url: str):
    """An app on `url` with a fresh schema, inside its app context; the connections closed after."""
    app = scratch_app(url)
    with app.app_context():
        reset_schema()
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()


def measure_sizes(url: str, sizes: list, name: str, build: Callable,
                  measure: Callable) -> dict:
    """For each size a fresh database at `url` (its {size} filled in): `build(size)` loads it and
    says what it built, for the log line, then `measure(app)`. Returns {size: measure's results}."""
    table = {}
    for size in sizes:
        with scratch_database(url.format(size=str(size).replace(":", "-"))) as app:
            started = time.perf_counter()
            built = build(size)
            print(f"[{name}] built {built} in {time.perf_counter() - started:.1f}s", flush=True)
            table[size] = measure(app)
    return table


class Batches:
    """Rows for bulk inserts into `models`, sent whenever the first has `size` rows waiting (each
    table in the order given, so later ones may refer to earlier ones); `send()` the rest."""

    def __init__(self, *models, size: int = 5000) -> None:
        self.rows = {model: [] for model in models}
        self.first, self.size = models[0], size

    def add(self, model, row: dict) -> None:
        self.rows[model].append(row)
        if len(self.rows[self.first]) >= self.size:
            self.send()

    def send(self) -> None:
        for model, rows in self.rows.items():
            if rows:
                db.session.execute(insert(model), rows)
                rows.clear()


def finish_load(**sequences: int) -> None:
    """Commit a bulk load; on PostgreSQL also set the named id sequences (ids were given by hand)
    and VACUUM ANALYZE."""
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        for sequence, value in sequences.items():
            db.session.execute(text("SELECT setval(:sequence, :value)"),
                               {"sequence": sequence, "value": value})
        db.session.commit()
        # What autovacuum does soon after a bulk load: the planner's statistics, and the
        # visibility map that lets an index-only scan skip the table (without it, every entry
        # read costs a heap fetch, which a live database's autovacuum soon avoids).
        with db.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))


def user_row(i: int, password_hash: str, created_at: datetime, **columns) -> dict:
    """A row for a bulk insert into users: employee B0000i, 员工i, Chinese."""
    return {"id": i, "employee_no": f"B{i:05d}", "name": f"员工{i}", "phone": "", "email": "",
            "language": "zh_CN", "active": True, "password_hash": password_hash,
            "created_at": created_at, **columns}


def bench_password_hash() -> str:
    return hash_password(PASSWORD)


class QueryCounter:
    """Counts the SQL statements sent while it listens; `n` is set back to 0 by hand."""

    def __init__(self) -> None:
        self.n = 0

    def __call__(self, *_args, **_kwargs) -> None:
        self.n += 1


@contextmanager
def counting_queries(engine=None):
    """A QueryCounter listening on `engine` (the app's, by default) for the `with` block."""
    engine = engine if engine is not None else db.engine
    counter = QueryCounter()
    event.listen(engine, "before_cursor_execute", counter)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", counter)


def login(client, employee_no: str = "B00001") -> None:
    response = client.post("/login", data={"employee_no": employee_no, "password": PASSWORD})
    assert response.status_code == 303, response.status_code


def time_page(fetch: Callable, url: str, counter: QueryCounter,
              repeats: int) -> tuple[float, int]:
    """`fetch(url)` once to warm caches and templates, then `repeats` times: the fastest in ms
    (the run least disturbed by whatever else the machine is doing: on a busy 2-core machine
    the median moved by 3x from one run to the next) and the most SQL queries of one request."""
    fetch(url)
    times, queries = [], []
    for _ in range(repeats):
        counter.n = 0
        started = time.perf_counter()
        response = fetch(url)
        times.append(time.perf_counter() - started)
        queries.append(counter.n)
        assert response.status_code == 200, (url, response.status_code)
    return min(times) * 1000, max(queries)


def measure_pages(app, pages: dict[str, str], repeats: int) -> dict[str, tuple[float, int]]:
    """Each page as B00001 (as an htmx request where its label says "htmx"): ms and queries."""
    client = app.test_client()
    results = {}
    with counting_queries() as counter:
        login(client)
        for label, url in pages.items():
            headers = HTMX if "htmx" in label else {}
            results[label] = time_page(lambda u, h=headers: client.get(u, headers=h), url,
                                       counter, repeats)
    return results


RATIO_GOAL = 1.3  # issue 18: a list page at 100,000+ rows within 1.3x of its time at 1,000


def print_table(title: str, columns: list[str], table: dict, label_width: int,
                column_width: int) -> None:
    """Pages down, sizes across: `table[column][label]` is (ms, queries). With two sizes or more,
    a last column: the last size's time over the first's (goal: at most RATIO_GOAL when both
    show the same number of matching rows)."""
    print(f"\n{title}")
    ratio = len(table) > 1
    print(f"{'page':{label_width}}" + "".join(f"{column:>{column_width}}" for column in columns)
          + (f"{'ratio':>9}" if ratio else ""))
    first = next(iter(table.values()))
    last = list(table.values())[-1]
    for label in first:
        cells = "".join(f"{ms:>{column_width - 8}.1f} ms {queries:>3}q"
                        for ms, queries in (results[label] for results in table.values()))
        if ratio:
            times = last[label][0] / first[label][0]
            cells += f"{times:>8.2f}{'' if times <= RATIO_GOAL else '!'}"
        print(f"{label:{label_width}}{cells}")
    if ratio:
        print(f"ratio: {columns[-1]} over {columns[0]}; '!' above {RATIO_GOAL}")
    print()


def parse_sizes(description: str, default: str, pg_help: str) -> tuple[list[str], bool]:
    """The --sizes (comma-separated) and --pg options of the benchmarks that compare sizes."""
    parser = argparse.ArgumentParser(description=description.splitlines()[0])
    parser.add_argument("--pg", action="store_true", help=pg_help)
    parser.add_argument("--sizes", default=default)
    args = parser.parse_args()
    return args.sizes.split(","), args.pg


def psycopg_url(url: str) -> str:
    """A postgresql:// URL for SQLAlchemy's psycopg 3 driver."""
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


def on_sqlite_and_pg(run: Callable[[str, str], None], pg_url: str,
                     filename: str = "bench-{size}.db") -> None:
    """`run(url, name)` on a scratch SQLite file, then on `pg_url` if one is given (BENCH_PG_URL
    in the environment, when set, names another scratch database instead)."""
    with tempfile.TemporaryDirectory() as scratch:
        run(f"sqlite:///{scratch}/{filename}", "SQLite")
    if pg_url:
        run(psycopg_url(os.environ.get("BENCH_PG_URL") or pg_url), "PostgreSQL")
