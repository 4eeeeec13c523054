"""The scheduler (python -m jobs.scheduler): late, never lost, never twice; waits out Redis."""

import threading
from datetime import UTC, datetime
from unittest import mock

from redis.exceptions import ConnectionError as RedisConnectionError
from rq import Queue
from rq.utils import import_attribute

from jobs import scheduler
from jobs.cron import schedule
from portal.modules import modules
from portal.redis_conn import get_redis

EVERY_QUARTER = [("jobs.maintenance.sweep_jobs", "*/15 * * * *")]


def _at(hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(2026, 12, 2, hour, minute, second, tzinfo=UTC)


def _queued(app) -> list[str]:
    queue = Queue(app.config["RQ_QUEUE"], connection=get_redis())
    return [job.func_name for job in queue.jobs]


def test_a_slot_missed_while_the_scheduler_was_down_runs_once_when_it_is_back(app):
    redis = get_redis()
    assert scheduler.tick(redis, EVERY_QUARTER, _at(9, 50)) == []  # first start: from now on
    assert scheduler.tick(redis, EVERY_QUARTER, _at(10, 0, 5)) == ["jobs.maintenance.sweep_jobs"]
    assert scheduler.tick(redis, EVERY_QUARTER, _at(10, 14, 59)) == []  # not due yet
    # Down from 10:15 to 10:47: 10:15, 10:30 and 10:45 passed; one late run catches up.
    assert scheduler.tick(redis, EVERY_QUARTER, _at(10, 47)) == ["jobs.maintenance.sweep_jobs"]
    assert scheduler.tick(redis, EVERY_QUARTER, _at(10, 47, 30)) == []  # never twice
    assert scheduler.tick(redis, EVERY_QUARTER, _at(11, 0)) == ["jobs.maintenance.sweep_jobs"]
    assert _queued(app) == ["jobs.maintenance.sweep_jobs"] * 3


def test_two_schedulers_ticking_the_same_slot_enqueue_it_once(app):
    redis = get_redis()
    jobs = [*EVERY_QUARTER, ("jobs.maintenance.purge_old_documents", "17 19 * * *")]
    assert scheduler.tick(redis, jobs, _at(19, 10)) == []
    first = scheduler.tick(redis, jobs, _at(19, 20))
    second = scheduler.tick(redis, jobs, _at(19, 20))
    assert len(first) == 2 and second == []
    assert sorted(_queued(app)) == ["jobs.maintenance.purge_old_documents",
                                    "jobs.maintenance.sweep_jobs"]


def test_the_scheduler_waits_out_a_redis_outage_instead_of_exiting(app):
    stop = threading.Event()
    calls = []

    def tick(*args):
        calls.append(args)
        if len(calls) <= 2:
            raise RedisConnectionError("Connection refused")
        stop.set()
        return []

    with mock.patch.object(scheduler, "tick", side_effect=tick), \
            mock.patch.object(stop, "wait") as wait, mock.patch.object(scheduler, "log") as log:
        scheduler.run(get_redis(), EVERY_QUARTER, stop)
    assert len(calls) == 3  # it kept trying, and ticked again once Redis answered
    assert [c.args[0] for c in wait.call_args_list[:2]] == [1, 2]  # back-off
    said = " ".join(str(call.args[0]) for call in log.method_calls)
    assert "Redis unavailable" in said and "Redis is back" in said


def test_the_latest_slot_is_the_one_at_or_before_now():
    assert scheduler.latest_slot("*/15 * * * *", _at(10, 15)) == _at(10, 15)
    assert scheduler.latest_slot("*/15 * * * *", _at(10, 29, 59)) == _at(10, 15)
    assert scheduler.latest_slot("17 19 * * *", _at(3, 0)) == datetime(2026, 12, 1, 19, 17,
                                                                         tzinfo=UTC)


def test_the_schedule_is_the_foundations_jobs_then_each_modules_cron():
    names = [name for name, _expression in schedule()]
    assert names[:3] == ["jobs.maintenance.purge_old_documents", "jobs.maintenance.sweep_jobs",
                         "jobs.maintenance.purge_sessions"]
    assert names[3:] == [name for module in modules() for name, _expression in module.cron]
    assert "portal.blueprints.repairs.jobs.check_repair_targets" in names


def test_every_scheduled_name_is_a_job_the_worker_can_import():
    # Names are strings: a typo would only show in the worker's log, every few minutes.
    for name, expression in schedule():
        job = import_attribute(name)
        assert callable(job) and hasattr(job, "__wrapped__"), f"{name} is not an @app_job"
        assert scheduler.latest_slot(expression, _at(10, 0)) <= _at(10, 0)


def test_a_moved_job_keeps_the_mark_it_left_under_its_former_name(app):
    # Upgrading across the move (jobs/repairs.py -> portal/blueprints/repairs/jobs.py) must
    # neither run a job at once nor skip a slot the scheduler missed while it was stopped.
    redis = get_redis()
    name = "portal.blueprints.repairs.jobs.check_repair_targets"
    assert scheduler.RENAMED[name] == "jobs.repairs.check_repair_targets"
    former = scheduler.MARK.format(name="jobs.repairs.check_repair_targets")
    redis.set(former, _at(10, 0).timestamp())  # the old scheduler ran the 10:00 slot
    every_five = [(name, "*/5 * * * *")]
    assert scheduler.tick(redis, every_five, _at(10, 2)) == []  # not re-run
    assert scheduler.tick(redis, every_five, _at(10, 12)) == [name]  # 10:05 and 10:10: late
    assert redis.get(former) is None
    assert float(redis.get(scheduler.MARK.format(name=name))) == _at(10, 10).timestamp()
    assert _queued(app) == [name]
