"""Canteen jobs: remind the canteen team when next week's menu is not published in time.

The worker runs them; the scheduler enqueues them by dotted name (MODULE.cron in __init__.py),
every 15 minutes: the job decides inside (local deadline, sent once per week).
"""

from datetime import timedelta

from sqlalchemy import update

from jobs import app_job
from portal.blueprints.accounts.models import User
from portal.blueprints.canteen import queries, services
from portal.blueprints.canteen.models import PUBLISHED, MenuWeek
from portal.blueprints.notifications.services import notify
from portal.extensions import db
from portal.i18n import N_
from portal.timeutil import local_at, local_now, monday_of, utcnow
from portal.urls import path_for


@app_job
def remind_unpublished_menu() -> str:
    """After the deadline (default Friday 15:00 local), tell the canteen team once per week."""
    now = local_now()
    settings = queries.settings()
    monday = monday_of(now.date())
    deadline = local_at(monday + timedelta(days=settings.deadline_weekday),
                        settings.deadline_time, now.tzinfo)
    if now < deadline:
        return "before deadline"
    next_monday = monday + timedelta(days=7)
    week = services.get_or_create_week(next_monday)  # the row remembers that we reminded
    # A conditional update: two runs at once cannot both win, so the reminder goes out once.
    claimed = db.session.execute(
        update(MenuWeek)
        .where(MenuWeek.id == week.id, MenuWeek.status != PUBLISHED,
               MenuWeek.reminder_sent_at.is_(None))
        .values(reminder_sent_at=utcnow())
    ).rowcount
    if claimed != 1:
        db.session.commit()  # keeps the (empty draft) week row
        return "nothing to do"
    link = path_for("canteen.edit_week", monday=next_monday.isoformat())
    for person in User.with_role("canteen"):
        notify(person, N_("The menu for the week of %(date)s is not published yet"),
               N_("Employees cannot see next week's menu until it is published."),
               link=link, date=next_monday.isoformat())
    db.session.commit()
    return "reminded"

