"""Benchmark: the office's review list and the month statements with 2,000 employees and
200,000 taxi claims (a year: some 16,700 a month).

Prints the time per page (median of several requests) and SQL queries per page, then the time
to make one month's statements (XLSX and PDF, per employee and per department). Builds its data
with bulk inserts in a scratch SQLite file, or in PostgreSQL with --pg URL (its schema is
dropped and rebuilt: give a scratch database).

    .venv/bin/python bench/overtime_review.py [--pg postgresql://…/scratch] [--claims 200000]
"""

import argparse
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
PAGES = {
    "review list (month, page 1)": f"/overtime/office?month={MONTH}",
    "review list (waiting office, p.3)": f"/overtime/office?month={MONTH}&status=office&page=3",
    "review list htmx region (p.100)": f"/overtime/office?month={MONTH}&page=100",
}


def build(claims: int, rng: random.Random) -> None:
    """2,000 people in 25 departments; `claims` claims over the 12 months up to MONTH."""
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
    first = date(2025, 12, 1)
    taken, rows = set(), common.Batches(Claim)
    for n in range(1, claims + 1):
        while True:
            user, day = rng.randint(2, EMPLOYEES), first + timedelta(days=rng.randint(0, 364))
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


def run(url: str, claims: int, name: str) -> None:
    with common.scratch_database(url) as app:
        started = time.perf_counter()
        build(claims, random.Random(claims))
        print(f"[{name}] built {EMPLOYEES:,} employees and {claims:,} claims in "
              f"{time.perf_counter() - started:.1f}s", flush=True)
        pages = common.measure_pages(app, PAGES, repeats=7)
        statements = measure_statements(app)
    print(f"\n{name}: median ms per page / SQL queries per page")
    for label, (ms, queries) in pages.items():
        print(f"{label:38}{ms:>10.1f} ms {queries:>3}q")
    for label, (seconds, size) in statements.items():
        print(f"{label:38}{seconds:>10.2f} s  {size / 1024:>8.0f} KiB")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default="", help="a scratch PostgreSQL database URL")
    parser.add_argument("--claims", type=int, default=200_000)
    args = parser.parse_args()
    common.on_sqlite_and_pg(lambda url, name: run(url, args.claims, name),
                            common.psycopg_url(args.pg), "bench.db")


if __name__ == "__main__":
    main()
