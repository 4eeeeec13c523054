"""The scheduler: enqueues jobs/cron.py's schedule on time, survives Redis outages, catches up.

    python -m jobs.scheduler --url redis://host:6379/0      (exactly one per installation)

`rq cron` exits when Redis is away across one of its ticks, and forgets a run it missed while it
was down. This loop instead:
- remembers in Redis, per job, the last cron slot it enqueued (`portal:cron:<job>`); a slot that
  passed while the scheduler or Redis was down is enqueued as soon as both are back: late, never
  lost. Several missed slots make one run (every scheduled job decides inside what is due, so
  one run catches up), and the mark is set in the same MULTI as the enqueue, watched, so two
  schedulers never enqueue one slot twice;
- a job with no mark yet (first start, or Redis lost its data) is marked at its latest slot
  without running, as `rq cron` does: it runs at its next slot, not in a burst at start-up;
- on a Redis error it logs, waits (1 s doubling to 30 s) and tries again, for ever;
- each scheduled job may be retried once if its worker dies under it (RQ's abandoned-job
  handling, run every minute by jobs.maintenance.sweep_jobs).
Jobs are named, never imported: (dotted name, UTC cron expression), as jobs/cron.py lists them.
"""

import argparse
import logging
import os
import signal
import threading
from datetime import UTC, datetime, timedelta

from croniter import croniter
from redis import Redis
from redis.exceptions import RedisError, WatchError
from rq import Queue, Retry

log = logging.getLogger("jobs.scheduler")

MARK = "portal:cron:{name}"
HEARTBEAT = "portal:scheduler:heartbeat"  # the time of the last good tick; see docs/operations
JOB_TIMEOUT = 600
LONGEST_WAIT = 30


# Jobs that moved, new name -> former name. A job's mark is kept under its name; a moved job's
# first tick reads the mark it left under its former name (and the slot that enqueues it next
# removes that one), so the upgrade neither re-runs nor skips a slot. The module jobs moved from
# jobs/<module>.py into their module's folder (issue 10).
RENAMED = {
    f"portal.blueprints.{module}.jobs.{job}": f"jobs.{module}.{job}"
    for module, job in (("repairs", "check_repair_targets"), ("repairs", "auto_confirm_repairs"),
                        ("canteen", "remind_unpublished_menu"), ("tasks", "check_task_deadlines"))
}


def latest_slot(expression: str, now: datetime) -> datetime:
    """The latest time at or before `now` that `expression` (UTC) names."""
    now = now.astimezone(UTC).replace(tzinfo=None)
    following = croniter(expression, now - timedelta(seconds=1)).get_next(datetime)
    if following <= now:
        return following.replace(tzinfo=UTC)
    return croniter(expression, now).get_prev(datetime).replace(tzinfo=UTC)


def tick(connection: Redis, schedule, now: datetime, queue_name: str = "default") -> list[str]:
    """Enqueue every job whose latest slot has not been enqueued yet; their names."""
    queue = Queue(queue_name, connection=connection)
    enqueued = []
    for name, expression in schedule:
        slot = latest_slot(expression, now).timestamp()
        key = MARK.format(name=name)
        former = MARK.format(name=RENAMED.get(name, name))  # the same key unless it moved
        with connection.pipeline() as pipe:
            try:
                pipe.watch(key, former)
                last = pipe.get(key)
                if last is None and former != key:
                    last = pipe.get(former)
                if last is not None and float(last) >= slot:
                    continue
                pipe.multi()
                if former != key:
                    pipe.delete(former)
                if last is None:  # first sight of this job: from now on
                    pipe.set(key, slot)
                    pipe.execute()
                    continue
                queue.enqueue(name, job_timeout=JOB_TIMEOUT, retry=Retry(max=1), pipeline=pipe,
                              meta={"slot": slot})
                pipe.set(key, slot)
                pipe.execute()
            except WatchError:  # another scheduler took this slot
                continue
        if _missed(expression, float(last), slot):
            log.warning("%s: enqueued late, it missed its time while the scheduler was away",
                        name)
        enqueued.append(name)
    connection.set(HEARTBEAT, now.timestamp())
    return enqueued


def _missed(expression: str, last: float, slot: float) -> bool:
    """More than the one slot since the last run passed: runs were missed (and coalesced)."""
    start = datetime.fromtimestamp(last, UTC).replace(tzinfo=None)
    return croniter(expression, start).get_next(datetime).replace(tzinfo=UTC).timestamp() < slot


def run(connection: Redis, schedule, stop: threading.Event, queue_name: str = "default",
        interval: float = 0) -> None:
    """Tick once a minute (just after it turns; every `interval` s if given) until `stop` is set;
    wait out Redis outages. Ticking more often is harmless: a slot is enqueued once."""
    wait = 1
    while not stop.is_set():
        now = datetime.now(UTC)
        try:
            tick(connection, schedule, now, queue_name)
        except RedisError as error:
            log.warning("Redis unavailable (%s); trying again in %d s", error, wait)
            stop.wait(wait)
            wait = min(wait * 2, LONGEST_WAIT)
            continue
        if wait > 1:
            log.info("Redis is back; scheduled jobs that were due have been enqueued")
        wait = 1
        stop.wait(interval or 61 - now.second - now.microsecond / 1e6)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("REDIS_URL", ""),
                        help="Redis URL (default: REDIS_URL)")
    parser.add_argument("--queue", default="default")
    parser.add_argument("--interval", type=float, default=0,
                        help="seconds between ticks (default: once a minute)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    from jobs.cron import schedule

    jobs = schedule()
    connection = Redis.from_url(args.url, socket_connect_timeout=2, socket_timeout=10)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    log.info("scheduler started: %d jobs", len(jobs))
    run(connection, jobs, stop, args.queue, args.interval)
    log.info("scheduler stopped")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
