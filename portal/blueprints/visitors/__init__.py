"""Visitor reception 客户接待: hosts pre-register visits (visitors, room, materials, meals) and
the reception standard becomes tasks; reception runs the front desk (check-in and -out,
walk-ins, by visit code); the office keeps the log, the settings and the standard. Visitors'
personal data is removed after the retention period by a scheduled job."""

from flask_babel import lazy_gettext as _l

from portal.blueprints.canteen import queries as canteen
from portal.blueprints.tasks.sources import TaskSource, register_source
from portal.blueprints.visitors import checklist, demo, documents, models, panels, queries, sweep
from portal.blueprints.visitors.routes import bp
from portal.modules import Module, NavEntry

# The canteen counts a visit's meals in that day's headcount, by visit (canteen/queries.GUESTS).
if not any(t == "visitors/_canteen_guests.html" for t, _s in canteen.GUESTS):
    canteen.GUESTS.append(("visitors/_canteen_guests.html", queries.guest_meals))

# A checklist step's task page links back to its visit (for those who may see the visit).
register_source(TaskSource(kind=models.SOURCE, link=checklist.source_link))

MODULE = Module(
    name="visitors",
    blueprint=bp,
    models=models,
    panels=tuple(panels.PANELS),
    documents=documents.RENDERERS,
    cron=(("portal.blueprints.visitors.jobs.evening_list", "*/30 * * * *"),
          ("portal.blueprints.visitors.jobs.morning_close", "0 23 * * *"),  # 07:00 Shanghai
          ("portal.blueprints.visitors.jobs.remind_day_before", "0 * * * *"),
          ("portal.blueprints.visitors.jobs.purge_personal_data", "30 18 * * *")),
    nav=NavEntry(_l("Visitors"), "visitors.index", order=45),
    demo=demo.load_demo,
    url_arguments=sweep.url_arguments,
)
