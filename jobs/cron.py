"""Scheduled jobs for `rq cron jobs.cron`. Times are UTC cron expressions; jobs that care about
local time (Asia/Shanghai) run often and decide inside, which also makes them idempotent."""

from rq import cron

from jobs import maintenance

cron.register(maintenance.purge_old_documents, queue_name="default", cron="17 19 * * *")
