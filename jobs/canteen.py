"""Scheduled jobs of this module: CRON lists (job function, cron expression in UTC)."""

CRON: list = []
