"""Scheduled jobs for `rq cron jobs.cron`. Times are UTC cron expressions; jobs that care about
local time (Asia/Shanghai) run often and decide inside, which also makes them idempotent."""

from rq import cron

from jobs import canteen, maintenance, repairs, tasks

SCHEDULE = [
    (maintenance.purge_old_documents, "17 19 * * *"),  # 03:17 in Shanghai
    (maintenance.sweep_jobs, "* * * * *"),  # abandoned jobs, documents left without a job
    (maintenance.purge_sessions, "37 19 * * *"),  # ended sign-ins, 03:37 in Shanghai
    *repairs.CRON,
    *canteen.CRON,
    *tasks.CRON,
]

for func, expression in SCHEDULE:
    cron.register(func, queue_name="default", cron=expression)
