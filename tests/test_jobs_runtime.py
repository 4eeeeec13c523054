"""The job runtime: the web app enqueues by name and never imports job code (no import cycle)."""

import ast
from pathlib import Path

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
