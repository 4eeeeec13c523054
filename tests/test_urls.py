"""Links built outside a web request (jobs, notifications) come from the URL map."""

import re
from pathlib import Path

from portal.urls import path_for


def test_a_path_is_built_in_a_job_as_in_a_request(app):
    assert path_for("tasks.detail", task_id=7) == "/tasks/7"
    with app.test_request_context("/"):
        assert path_for("canteen.edit_week", monday="2026-12-07") == "/canteen/manage/2026-12-07"


def test_no_module_writes_a_page_path_by_hand_or_fakes_a_request():
    root = Path(__file__).parent.parent / "portal"
    found = []
    for path in root.rglob("*.py"):
        text = path.read_text()
        if re.search(r'f"/(tasks|meetings|suggestions|shuttle|visitors|overtime|repairs|canteen)/',
                     text) or "test_request_context" in text:
            found.append(str(path.relative_to(root)))
    assert found == []
