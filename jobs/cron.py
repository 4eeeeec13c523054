"""What the scheduler (jobs/scheduler.py) enqueues, and when: the foundation's housekeeping, then
each module's `cron` (declared in its package, see portal/modules.py).

Entries are (dotted job name, UTC cron expression): the scheduler enqueues by name and imports
no job. Jobs that care about local time (Asia/Shanghai) run often and decide inside, which also
makes them idempotent.
"""

from portal.modules import modules

FOUNDATION = [
    ("jobs.maintenance.purge_old_documents", "17 19 * * *"),  # 03:17 in Shanghai
    ("jobs.maintenance.sweep_jobs", "* * * * *"),  # abandoned jobs, documents left without a job
    ("jobs.maintenance.purge_sessions", "37 19 * * *"),  # ended sign-ins, 03:37 in Shanghai
]


def schedule() -> list[tuple[str, str]]:
    """Every scheduled job: the foundation's, then each module's in list order."""
    return [*FOUNDATION, *(entry for module in modules() for entry in module.cron)]
