"""The canteen team is reminded once when next week is not published by the deadline."""

import ast
from datetime import timedelta
from pathlib import Path
from unittest import mock

from jobs import enqueue
from jobs.cron import schedule
from portal.blueprints.canteen import jobs as canteen_jobs
from portal.blueprints.canteen.jobs import remind_unpublished_menu
from portal.blueprints.notifications.models import Notification
from portal.extensions import db
from tests.canteen.conftest import MONDAY, fill_week


def _notes(user) -> list[str]:
    return list(db.session.scalars(db.select(Notification.title)
                                   .where(Notification.user_id == user.id)))


def test_nothing_is_sent_before_the_deadline(app, make_user, run_jobs, at):
    cook = make_user("employee", "canteen")
    at("2026-12-04 14:59")  # Friday, a minute early
    enqueue(remind_unpublished_menu)
    run_jobs()
    assert _notes(cook) == []


def test_after_the_deadline_the_canteen_is_reminded_once(app, make_user, run_jobs, at):
    cook, other_cook = make_user("employee", "canteen"), make_user("employee", "canteen")
    employee = make_user("employee")
    at("2026-12-04 15:00")
    enqueue(remind_unpublished_menu)
    run_jobs()
    at("2026-12-05 09:00")
    enqueue(remind_unpublished_menu)
    enqueue(remind_unpublished_menu)
    run_jobs()
    expected = ["2026-12-07 起这一周的菜单尚未发布"]
    assert _notes(cook) == expected and _notes(other_cook) == expected
    assert _notes(employee) == []


def test_no_reminder_when_next_week_is_published(app, make_user, dishes, run_jobs, at):
    cook = make_user("employee", "canteen")
    fill_week(MONDAY + timedelta(days=7), dishes, publish=True)
    at("2026-12-04 16:00")
    assert remind_unpublished_menu() == "nothing to do"
    assert _notes(cook) == []


def test_the_deadline_is_configurable(client, auth, make_user, at):
    cook = make_user("employee", "canteen")
    auth.login(cook)
    client.post("/canteen/settings", data={"night_cutoff": "17:30", "deadline_weekday": "3",
                                           "deadline_time": "12:00"})
    at("2026-12-03 12:00")  # Thursday noon
    assert remind_unpublished_menu() == "reminded"
    assert len(_notes(cook)) == 1


def test_the_reminder_is_in_the_schedule_every_quarter_hour():
    # Read the way the scheduler (python -m jobs.scheduler) reads it: by dotted name.
    jobs = dict(schedule())
    assert jobs["portal.blueprints.canteen.jobs.remind_unpublished_menu"] == "*/15 * * * *"


def test_the_canteen_jobs_import_at_the_top():
    # Imports inside a function hide what a module needs; none here is circular.
    tree = ast.parse(Path(canteen_jobs.__file__).read_text())
    nested = [node.lineno for function in ast.walk(tree)
              if isinstance(function, ast.FunctionDef)
              for node in ast.walk(function) if isinstance(node, ast.Import | ast.ImportFrom)]
    assert nested == []


def test_a_reminder_run_that_died_half_way_reminds_everyone_once_when_run_again(
        app, make_user, at):
    """A worker killed between two notifications: nothing was committed, the retry sends all."""
    cook, other_cook = make_user("employee", "canteen"), make_user("employee", "canteen")
    at("2026-12-04 15:00")
    real_notify = canteen_jobs.notify
    calls = []

    def dies_on_the_second(*args, **kwargs):
        calls.append(args[0])
        if len(calls) == 2:
            raise SystemExit("worker killed")
        return real_notify(*args, **kwargs)

    with mock.patch.object(canteen_jobs, "notify", side_effect=dies_on_the_second):
        try:
            remind_unpublished_menu()
        except SystemExit:
            db.session.rollback()  # what the database does with a dead worker's transaction
    assert remind_unpublished_menu() == "reminded"  # RQ's retry, or the next run
    assert remind_unpublished_menu() == "nothing to do"
    expected = ["2026-12-07 起这一周的菜单尚未发布"]
    assert _notes(cook) == expected and _notes(other_cook) == expected
