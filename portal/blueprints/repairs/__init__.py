"""Repair requests 报修: anyone files a request (a QR label on the room or device fills in where);
facilities triage, assign, fix and report; the requester confirms and rates."""

from flask_babel import lazy_gettext as _l

from portal.blueprints.repairs import demo, documents, models, panels, sweep
from portal.blueprints.repairs.routes import bp
from portal.modules import Module, NavEntry

MODULE = Module(
    name="repairs",
    blueprint=bp,
    models=models,
    panels=tuple(panels.PANELS),
    documents=documents.RENDERERS,
    cron=(("portal.blueprints.repairs.jobs.check_repair_targets", "*/5 * * * *"),
          ("portal.blueprints.repairs.jobs.auto_confirm_repairs", "7 * * * *"),
          ("portal.blueprints.repairs.jobs.check_repair_figures", "37 3 * * *")),
    nav=NavEntry(_l("Repairs"), "repairs.index", order=10),
    demo=demo.load_demo,
    url_arguments=sweep.url_arguments,
)
