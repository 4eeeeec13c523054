"""Benchmark: the office's audit log with 1,000 vs 100,000 entries.

Prints time per page (fastest of several requests), SQL queries per page and the ratio of the
sizes; every page should stay flat as the log grows: the newest page and older pages read 50
entries down the primary key from a cursor (no OFFSET, no count), and the action filter reads
a range of the (action, id) index. The filtered pages look for an action with the same 200
entries at every size (spread over the whole log), so they match the same rows. Builds its data
with bulk inserts in a scratch SQLite file, and also in PostgreSQL when --pg is given (database
scale_audit, or BENCH_PG_URL; its schema is dropped and rebuilt).

    .venv/bin/python bench/audit_log.py [--pg] [--sizes 1000,100000]
"""

import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert, select  # noqa: E402

from bench import _common as common  # noqa: E402
from portal.blueprints.accounts.models import User, UserRole  # noqa: E402
from portal.blueprints.audit.models import AuditEntry  # noqa: E402
from portal.extensions import db  # noqa: E402

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/scale_audit"
PEOPLE = 200
RARE, RARE_COUNT = "calendar.set", 200  # the same entries at every size
COMMON = ["user.login", "repairs.location_edit", "repairs.rota_add", "canteen.menu_publish",
          "tasks.assign", "visitors.register", "settings.save", "user.role_change"]


def build(size: int, rng: random.Random) -> None:
    """200 people (B00001 in the office) and `size` entries over a year, RARE_COUNT of them
    RARE spread evenly through it."""
    password = common.bench_password_hash()
    now = datetime.now(UTC)
    db.session.execute(insert(User), [common.user_row(i, password, now)
                                      for i in range(1, PEOPLE + 1)])
    db.session.execute(insert(UserRole), [{"user_id": i, "role": "employee"}
                                          for i in range(1, PEOPLE + 1)]
                       + [{"user_id": 1, "role": "office"}])
    rare = set(range(1, size + 1, size // RARE_COUNT))
    start, step = now - timedelta(days=365), timedelta(days=365) / size
    rows = common.Batches(AuditEntry)
    for n in range(1, size + 1):
        rows.add(AuditEntry, {
            "id": n, "at": start + step * n, "actor_id": rng.randint(1, PEOPLE),
            "action": RARE if n in rare else rng.choice(COMMON), "target": f"user:{n % 500}",
            "details": {"field": "value", "n": n}})
    rows.send()
    common.finish_load(audit_entries_id_seq=size)


def pages() -> dict[str, str]:
    """The cursors of the older pages come from the data: the middle of the log, the middle of
    the filtered entries."""
    size = db.session.scalar(select(db.func.max(AuditEntry.id)))
    rare = db.session.scalars(select(AuditEntry.id).where(AuditEntry.action == RARE)
                              .order_by(AuditEntry.id.desc())).all()
    return {
        "log (newest 50)": "/admin/audit/",
        "log htmx region, older (mid-log)": f"/admin/audit/?before={size // 2}",
        f"filter {RARE[:9]} (200 match)": f"/admin/audit/?action={RARE[:9]}",
        "filter, older page (100 of 200)": f"/admin/audit/?action={RARE[:9]}"
                                           f"&before={rare[100]}",
        "filter, exact action": f"/admin/audit/?action={RARE}",
    }


def measure(app, repeats: int = 7) -> dict[str, tuple[float, int]]:
    return common.measure_pages(app, pages(), repeats)


def run(url: str, sizes: list[int], name: str) -> None:
    def load(size: int) -> str:
        build(size, random.Random(size))
        return f"{size:,} audit entries ({RARE_COUNT} of them {RARE})"

    table = common.measure_sizes(url, sizes, name, load, measure)
    common.print_table(f"{name}: fastest ms per page / SQL queries per page",
                       [f"{size:,} entries" for size in sizes], table, 34, 21)


def main() -> None:
    sizes, pg = common.parse_sizes(__doc__, "1000,100000", "also run on PostgreSQL scale_audit")
    sizes = [int(size) for size in sizes]
    common.on_sqlite_and_pg(lambda url, name: run(url, sizes, name), PG_URL if pg else "")


if __name__ == "__main__":
    main()
