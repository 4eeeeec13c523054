"""Benchmark: the office's review list and the month statements with 2,000 employees and
1,000 vs 100,000 taxi claims, the month reviewed holding the same 1,000 at every size (the rest
spread over the 11 months before it).

Prints the time per page (fastest of several requests), SQL queries per page and the ratio of the
sizes (the list reads one month on the (month, status, waiting_since) index: it should stay flat
as the other months pile up), then the time to make the month's statements (XLSX and PDF, per
employee and per department) at each size. Builds its data with bulk inserts in a scratch SQLite
file, and also in PostgreSQL when --pg is given (database scale_overtime, or BENCH_PG_URL; its
schema is dropped and rebuilt).

    .venv/bin/python bench/overtime_review.py [--pg] [--sizes 1000,100000]
"""

import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert  # noqa: E402

from bench import _common as common  # noqa: E402
from portal.blueprints.accounts.models import Department, User, UserRole  # noqa: E402
from portal.blueprints.overtime import documents  # noqa: E402
from portal.blueprints.overtime.models import Claim  # noqa: E402
from portal.extensions import db  # noqa: E402

EMPLOYEES, DEPARTMENTS = 2000, 25
MONTH = "2026-11"
IN_MONTH = 1000  # claims of MONTH, at every size
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/scale_overtime"
PAGES = {
    "review list (month, page 1)": f"/overtime/office?month={MONTH}",
    "review list (waiting office, p.2)": f"/overtime/office?month={MONTH}&status=office&page=2",
    "review list htmx region (p.20)": f"/overtime/office?month={MONTH}&page=20",
}


def build(claims: int, rng: random.Random) -> None:
    """2,000 people in 25 departments; `claims` claims: IN_MONTH in MONTH, the others over the
    11 months before it."""
    password = common.bench_password_hash()
    now = datetime.now(UTC)
    db.session.execute(insert(Department), [{"id": d, "name": f"部门{d}"}
                                            for d in range(1, DEPARTMENTS + 1)])
    db.session.execute(insert(User), [
        common.user_row(i, password, now, department_id=i % DEPARTMENTS + 1)
        for i in range(1, EMPLOYEES + 1)])
    db.session.execute(insert(UserRole), [{"user_id": 1, "role": "office"}]
                       + [{"user_id": i, "role": "employee"} for i in range(1, EMPLOYEES + 1)])
    statuses = ["approved"] * 8 + ["head", "office", "returned"]
    first, month_start = date(2025, 12, 1), date(2026, 11, 1)
    taken, rows = set(), common.Batches(Claim)
    for n in range(1, claims + 1):
        while True:
            if n <= IN_MONTH:
                day = month_start + timedelta(days=rng.randint(0, 29))
            else:
                day = first + timedelta(days=rng.randint(0, (month_start - first).days - 1))
            user = rng.randint(2, EMPLOYEES)
            if (user, day) not in taken:
                taken.add((user, day))
                break
        ride = datetime(day.year, day.month, day.day, 14, 30, tzinfo=UTC)
        rows.add(Claim, {
            "id": n, "user_id": user, "department_id": user % DEPARTMENTS + 1, "record_id": None,
            "day": day, "month": f"{day:%Y-%m}", "from_district": "南山区",
            "to_district": rng.choice(["宝安区", "福田区", "龙华区", "罗湖区"]), "ride_at": ride,
            "amount_cents": rng.randint(1500, 9000), "reason": "bench", "invoice_no": None,
            "receipt_mime": "", "warnings": "", "status": rng.choice(statuses), "round": 1,
            "waiting_since": ride, "created_at": ride})
    rows.send()
    common.finish_load()


def measure_statements(app) -> dict[str, tuple[float, int]]:
    """Seconds and bytes for each statement of MONTH, made as the job makes them."""
    results = {}
    document = SimpleNamespace(params={"month": MONTH, "locale": "zh_CN"})
    for label, renderer in (("statement XLSX", documents.statement_xlsx),
                            ("statement PDF", documents.statement_pdf)):
        with app.test_request_context():
            started = time.perf_counter()
            _name, _mime, content = renderer(document)
            results[label] = (time.perf_counter() - started, len(content))
    return results


def run(url: str, sizes: list[int], name: str) -> None:
    def load(claims: int) -> str:
        build(claims, random.Random(claims))
        return f"{EMPLOYEES:,} employees and {claims:,} claims ({IN_MONTH:,} in {MONTH})"

    statements = {}

    def measure(app) -> dict[str, tuple[float, int]]:
        pages = common.measure_pages(app, PAGES, repeats=7)
        statements[len(statements)] = measure_statements(app)
        return pages

    table = common.measure_sizes(url, sizes, name, load, measure)
    common.print_table(f"{name}: fastest ms per page / SQL queries per page",
                       [f"{size:,}" for size in sizes], table, 36, 19)
    for size, made in zip(sizes, statements.values(), strict=True):
        for label, (seconds, length) in made.items():
            print(f"{label} at {size:,} claims: {seconds:.2f} s, {length / 1024:.0f} KiB")
    print()


def main() -> None:
    sizes, pg = common.parse_sizes(__doc__, "1000,100000", "also run on PostgreSQL")
    sizes = [int(size) for size in sizes]
    common.on_sqlite_and_pg(lambda url, name: run(url, sizes, name), PG_URL if pg else "",
                            "bench-{size}.db")


if __name__ == "__main__":
    main()
