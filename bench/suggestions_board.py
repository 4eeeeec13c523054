"""Benchmark: the suggestion board and the office's inbox with 1,000 suggestions (10,000 +1s)
vs 100,000 suggestions (1,000,000 +1s), ten a day back from today (so the weeks and pages looked
at hold the same items at both sizes; only the history behind them grows); everything older
than a month answered (reminders chase the rest), half of the last month still open.

Prints time per page (fastest of several requests) and SQL queries per page; both should stay
flat as the tables grow (the board reads a page by the published_at index and the +1 count kept
on the row; the inbox reads one week by the created_on index). Builds its data with bulk inserts
in a scratch SQLite file, and also in PostgreSQL when --pg is given (the database in
DATABASE_URL, default wt_suggestions; its schema is dropped and rebuilt).

    .venv/bin/python bench/suggestions_board.py [--pg] [--sizes 1000,100000]
"""

import os
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, insert, select  # noqa: E402

from bench import _common as common  # noqa: E402
from portal.blueprints.accounts.models import Department, User, UserRole  # noqa: E402
from portal.blueprints.suggestions.models import (  # noqa: E402
    Suggestion,
    SuggestionCategory,
    SuggestionSupport,
)
from portal.extensions import db  # noqa: E402
from portal.timeutil import local_today, monday_of  # noqa: E402

PG_URL = common.psycopg_url(os.environ.get(
    "DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/wt_suggestions"))
PEOPLE = 2000
PER_DAY = 10  # suggestions a day: 1,000 reach 100 days back, 100,000 some 27 years
CATEGORIES = [("食堂", "Canteen"), ("班车", "Shuttle bus"), ("环境", "Environment"),
              ("设施", "Facilities"), ("IT", "IT"), ("其他", "Other")]
WORDS = ["班车", "食堂", "空调", "打印机", "路灯", "停车", "网络", "饮水机", "电梯", "厕所"]


def pages() -> dict[str, str]:
    monday = monday_of(local_today())
    past = (monday - timedelta(days=70)).isoformat()
    return {
        "board (newest)": "/suggestions/",
        "board (page 30)": "/suggestions/?page=30",
        "board (one category)": "/suggestions/?category=2",
        "inbox (this week)": "/suggestions/inbox",
        "inbox (10 weeks ago, canteen)": f"/suggestions/inbox?week={past}&category=1",
        "similar titles (htmx)": "/suggestions/similar?title=班车太挤",
    }


def build(size: int, rng: random.Random) -> None:
    """2,000 people in 20 departments, `size` suggestions PER_DAY a day back from today, ten +1s
    per suggestion on average."""
    password = common.bench_password_hash()
    db.session.execute(insert(Department), [{"id": d, "name": f"部门{d}"} for d in range(1, 21)])
    db.session.execute(insert(User), [
        common.user_row(i, password, datetime.now(UTC), department_id=i % 20 + 1,
                        session_token=f"{i:032d}") for i in range(1, PEOPLE + 1)])
    db.session.execute(insert(UserRole), [{"user_id": i, "role": "employee"}
                                          for i in range(1, PEOPLE + 1)]
                       + [{"user_id": 1, "role": "office"}])
    if not db.session.scalar(select(func.count()).select_from(SuggestionCategory)):
        db.session.execute(insert(SuggestionCategory), [
            {"id": n + 1, "name_zh": zh, "name_en": en, "position": n, "active": True}
            for n, (zh, en) in enumerate(CATEGORIES)])
    today = local_today()
    ids = rng.sample(range(2**30, 2**31), size)
    rows, supports = [], []
    for n, suggestion_id in enumerate(ids):
        day = today - timedelta(days=n // PER_DAY)  # recent weeks alike at every size
        # Items are chased after a week: old ones are answered, recent ones half of them.
        age = (today - day).days
        answered = age > 30 or (age > 2 and rng.random() < 0.5)
        plus = rng.randint(0, 20)
        rows.append({
            "id": suggestion_id, "category_id": rng.randint(1, 6),
            "title": f"{rng.choice(WORDS)}{rng.choice(WORDS)}的建议", "text": "bench",
            "channel": "online", "anonymous": rng.random() < 0.3, "submitter_id": None,
            "created_on": day, "code_hash": None, "code_hint": "", "intake_hash": None,
            "status": rng.choice(["solved", "planned", "declined"]) if answered else "open",
            "department_id": rng.randint(1, 20), "answer": "已处理" if answered else "",
            "answer_link": "", "plan": "", "outcome_version": 1 if answered else 0,
            "notified_version": 1 if answered else 0,
            "published_at": datetime.combine(day, datetime.min.time(), UTC)
            + timedelta(days=3, seconds=rng.randint(0, 86400)) if answered else None,
            "plus_count": plus, "rating_comment": ""})
        supports += [{"suggestion_id": suggestion_id, "user_id": user_id}
                     for user_id in rng.sample(range(1, PEOPLE + 1), plus)]
        if len(supports) >= 50000:
            _flush(rows, supports)
            rows, supports = [], []
    _flush(rows, supports)
    common.finish_load()


def _flush(rows: list, supports: list) -> None:
    if rows:
        db.session.execute(insert(Suggestion), rows)
    if supports:
        db.session.execute(insert(SuggestionSupport), supports)


def measure(app, repeats: int = 7) -> dict[str, tuple[float, int]]:
    return common.measure_pages(app, pages(), repeats)


def run(url: str, sizes: list[int], name: str) -> None:
    def load(size: int) -> str:
        build(size, random.Random(size))
        supports = db.session.scalar(select(func.count()).select_from(SuggestionSupport))
        return f"{size:,} suggestions and {supports:,} +1s"

    table = common.measure_sizes(url, sizes, name, load, measure)
    common.print_table(f"{name}: fastest ms per page / SQL queries per page",
                       [f"{size:,}" for size in sizes], table, 32, 19)


def main() -> None:
    sizes, pg = common.parse_sizes(__doc__, "1000,100000", "also run on PostgreSQL")
    sizes = [int(size) for size in sizes]
    common.on_sqlite_and_pg(lambda url, name: run(url, sizes, name), PG_URL if pg else "")


if __name__ == "__main__":
    main()
