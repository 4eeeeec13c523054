"""The job runtime: the web app enqueues by name, documents are never stranded, jobs heal."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_web_app_never_imports_the_job_runner():
    offenders = []
    for path in (ROOT / "portal").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.relative_to(ROOT)}: {name}" for name in names
                          if name == "jobs" or name.startswith("jobs.")]
    assert offenders == []
