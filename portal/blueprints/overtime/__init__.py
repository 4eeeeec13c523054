"""Overtime 加班登记 and ride subsidies 加班打车补贴: one evening's record drives the night meal
(canteen) and the taxi claim; heads then the office approve; the office closes the month and
sends statements to finance."""

from flask_babel import lazy_gettext as _l

from portal.blueprints.canteen import queries as canteen
from portal.blueprints.overtime import (  # noqa: F401  (approve, office: their views)
    approve,
    demo,
    documents,
    models,
    office,
    panels,
    queries,
    sweep,
)
from portal.blueprints.overtime.routes import bp
from portal.modules import Module, NavEntry

# The canteen's page, once tonight's night meal is cancelled there, offers to cancel the overtime.
if not any(t == "overtime/_canteen_offer.html" for t, _s in canteen.AFTER_NIGHT_CANCEL):
    canteen.AFTER_NIGHT_CANCEL.append(("overtime/_canteen_offer.html", queries.tonight_offer))

MODULE = Module(
    name="overtime",
    blueprint=bp,
    models=models,
    panels=tuple(panels.PANELS),
    documents=documents.RENDERERS,
    cron=(("portal.blueprints.overtime.jobs.remind_waiting_claims", "*/30 * * * *"),
          ("portal.blueprints.overtime.jobs.purge_receipts", "40 3 * * *")),
    nav=NavEntry(_l("Overtime"), "overtime.index", order=45),
    demo=demo.load_demo,
    url_arguments=sweep.url_arguments,
)
