"""The job runtime: the web app enqueues by name and never imports job code (no import cycle)."""

import ast
import os
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text

from tests.test_embedded import _until

ROOT = Path(__file__).resolve().parent.parent


def test_the_web_app_never_imports_the_job_runner():
    offenders = []
    for path in (ROOT / "portal").rglob("*.py"):
        if _is_module_job_file(path):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.relative_to(ROOT)}: {name}" for name in names
                          if name == "jobs" or name.startswith("jobs.")]
    assert offenders == []


def test_nothing_in_the_portal_imports_a_modules_job_file():
    # A module's own job file (portal/blueprints/<module>/jobs.py) is worker code: it imports
    # jobs.app_job; the portal names its jobs (MODULE.cron, enqueue) and never imports them.
    offenders = []
    for path in (ROOT / "portal").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            offenders += [f"{path.relative_to(ROOT)}: {name}" for name in names
                          if name.startswith("portal.blueprints.") and name.endswith(".jobs")]
    assert offenders == []


def _is_module_job_file(path: Path) -> bool:
    return path.name == "jobs.py" and path.parent.parent == ROOT / "portal" / "blueprints"


# The app, built and used in a fresh interpreter: signs in, opens home (every module's panels)
# and each module's page (the navigation), then lists the job code that got imported.
SERVE_WITHOUT_JOBS = """
import json, sys
from portal import create_app
from portal.modules import modules
from tests.factories import PASSWORD

config = json.loads(sys.argv[1])
app = create_app(config)
client = app.test_client()
assert client.post("/login", data={"employee_no": sys.argv[2], "password": PASSWORD}
                   ).status_code == 303
pages = ["/", *(app.url_map.bind("").build(m.nav.endpoint) for m in modules() if m.nav)]
for url in pages:
    assert client.get(url).status_code == 200, url
print(json.dumps(sorted(
    name for name in sys.modules
    if name == "jobs" or name.startswith("jobs.")
    or (name.startswith("portal.blueprints.") and name.endswith(".jobs")))))
"""


def test_serving_pages_imports_no_job_code(app, app_config, make_user):
    # No import cycle between the app and the jobs: the worker's code imports the app, the app
    # enqueues by dotted name (portal.queue.enqueue) and never imports the worker's code.
    import json
    import subprocess
    import sys

    from portal.blueprints.accounts.models import ROLES

    user = make_user(*ROLES)
    config = {k: v for k, v in app_config.items() if k != "PERMANENT_SESSION_LIFETIME"}
    result = subprocess.run(
        [sys.executable, "-c", SERVE_WITHOUT_JOBS, json.dumps(config), user.employee_no],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout.splitlines()[-1]) == []


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="two transactions racing on one unique row need PostgreSQL")
def test_two_copies_of_a_reminder_job_running_at_once_remind_once(app, make_user, monkeypatch):
    """A scheduled job retried while its first copy still runs (an orphaned work horse), or two
    schedulers: the second copy waits on the first one's alert row and sends nothing."""
    from portal.blueprints.notifications.models import Notification
    from portal.blueprints.tasks import alerts
    from portal.blueprints.tasks.jobs import check_task_deadlines
    from portal.blueprints.tasks.services import create_task
    from portal.extensions import db
    from portal.timeutil import utcnow

    owner = make_user(name="王小明")
    task = create_task(make_user(name="陈主任"), "整理会议纪要", "参会人确认无误",
                       utcnow() + timedelta(hours=10), owner=owner)
    db.session.commit()
    real_claim = alerts._claim

    def claim_then_wait_for_the_other_copy(task, kind, now):
        claimed = real_claim(task, kind, now)
        if claimed and not waited.is_set():  # the first copy holds its alert row, uncommitted
            waited.set()
            _until(_a_transaction_waits_on_a_lock, "the second copy to reach the same row", 30)
        return claimed

    def _a_transaction_waits_on_a_lock() -> bool:
        with db.engine.connect() as connection:
            return connection.scalar(text("SELECT count(*) FROM pg_locks WHERE NOT granted")) > 0

    waited = threading.Event()
    monkeypatch.setattr(alerts, "_claim", claim_then_wait_for_the_other_copy)
    results = []

    def run_a_copy():
        with app.app_context():
            results.append(check_task_deadlines())

    copies = [threading.Thread(target=run_a_copy) for _ in range(2)]
    for copy in copies:
        copy.start()
    for copy in copies:
        copy.join(60)
    assert sorted(results) == [(0, 0), (1, 0)]
    titles = db.session.scalars(select(Notification.title)
                                .where(Notification.user_id == owner.id)).all()
    assert [title for title in titles if "即将到期" in title] == [
        f"任务 {task.number} 即将到期：整理会议纪要"]
