"""Benchmark: the front desk and the visitor log with 2,000 vs 200,000 past visits.

Prints time per page (fastest of several requests) and SQL queries per page; both should stay
flat as the history grows: the desk reads two days of visits on the arrival index (a visit
lasts at most 14 days, so the lower bound keeps the scan short), the log one page of a date
range, and each page loads visitors and hosts in one query per kind, never one per visit.
Today and tomorrow look the same at every size (40 visits); only the history grows. The
year-long company search is the exception: 2,000 visits reach back only 33 days, so at 200,000
it matches more visits (its ratio is not a flatness figure). Builds its
data with bulk inserts in a scratch SQLite file, and in PostgreSQL with --pg (database
wt_visitors; its schema is dropped and rebuilt).

    .venv/bin/python bench/visitors_desk.py [--pg] [--sizes 2000,200000]
"""

import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert  # noqa: E402

from bench import _common as common  # noqa: E402
from portal.blueprints.accounts.models import User, UserRole  # noqa: E402
from portal.blueprints.visitors.models import Visit, Visitor  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.timeutil import local_today, portal_tz  # noqa: E402

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/wt_visitors"
PEOPLE = 200
COMPANIES = [f"客户公司{i}" for i in range(300)]


def _pages() -> dict[str, str]:
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    return {
        "front desk (40 visits)": "/visitors/desk",
        "visitor log (last 30 days)": "/visitors/log",
        "log by company (30 days)": "/visitors/log?company=客户公司7",
        "log by company, a year (grows)": f"/visitors/log?from={today - timedelta(days=365)}"
                                          f"&to={today}&company=客户公司7",
        "log, page 20": "/visitors/log?page=20",
        "my visits (host)": "/visitors/",
    }


def _visit(n: int, arrives: datetime, rng: random.Random, status: str, now) -> dict:
    return {"id": n, "code": f"C{n:010d}", "purpose": f"来访{n}",
            "company": COMPANIES[rng.randrange(len(COMPANIES))], "arrives_at": arrives,
            "departs_at": arrives + timedelta(hours=rng.choice((2, 4, 8, 30))),
            "host_id": rng.randint(1, PEOPLE), "reception_id": 1, "meeting_id": None,
            "status": status, "walk_in": False, "visitor_count": 2, "notes": "",
            "reminded_at": None, "purged_at": None, "created_at": now}


def build(size: int, rng: random.Random) -> None:
    """200 people (B00001 reception and office), `size` past visits of two visitors each,
    spread over the years before today, and the same 40 visits today and tomorrow."""
    password = common.bench_password_hash()
    now = datetime.now(UTC)
    users = [common.user_row(i, password, now) for i in range(1, PEOPLE + 1)]
    db.session.execute(insert(User), users)
    db.session.execute(insert(UserRole), [{"user_id": u["id"], "role": "employee"} for u in users]
                       + [{"user_id": 1, "role": "reception"}, {"user_id": 1, "role": "office"}])
    today = datetime.combine(local_today(), datetime.min.time(), tzinfo=portal_tz())
    rows = common.Batches(Visit, Visitor)
    for n in range(1, size + 41):
        if n <= 40:  # today and tomorrow, 08:00-18:00
            arrives = today + timedelta(days=n % 2, hours=8 + n % 10)
            status = "expected"
        else:  # history: about 60 a day going back
            arrives = today - timedelta(days=1 + (n - 41) // 60, hours=-(8 + n % 10))
            status = rng.choice(("done", "done", "done", "no_show", "cancelled",
                                 "not_checked_out"))
        visit = _visit(n, arrives, rng, status, now)
        rows.add(Visit, visit)
        for k in (1, 2):
            rows.add(Visitor, {"id": 2 * n + k - 2, "visit_id": n, "name": f"访客{n}-{k}",
                               "company": visit["company"], "mobile": f"138{n:08d}"[:11],
                               "email": "", "id_type": "", "checked_in_at": None,
                               "checked_out_at": None, "not_checked_out": False,
                               "badge_prints": 0})
    rows.send()
    common.finish_load()


def measure(app, repeats: int = 7) -> dict[str, tuple[float, int]]:
    return common.measure_pages(app, _pages(), repeats)


def run(url: str, sizes: list[int], name: str) -> None:
    def load(size: int) -> str:
        build(size, random.Random(size))
        return f"{size:,} past visits"

    table = common.measure_sizes(url, sizes, name, load, measure)
    common.print_table(f"{name}: fastest ms per page / SQL queries per page",
                       [f"{size:,} visits" for size in sizes], table, 30, 21)


def main() -> None:
    sizes, pg = common.parse_sizes(__doc__, "2000,200000", "also run on PostgreSQL wt_visitors")
    sizes = [int(size) for size in sizes]
    common.on_sqlite_and_pg(lambda url, name: run(url, sizes, name), PG_URL if pg else "")


if __name__ == "__main__":
    main()
