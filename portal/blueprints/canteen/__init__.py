"""Canteen menu 食堂菜单: the week's menu, night-meal reservations, ratings and allergens for
everyone; editing, tonight's headcount and the wall PDF for the canteen team."""

from flask_babel import lazy_gettext as _l

from portal.blueprints.canteen import demo, documents, models, panels, sweep
from portal.blueprints.canteen.routes import bp
from portal.modules import Module, NavEntry

MODULE = Module(
    name="canteen",
    blueprint=bp,
    models=models,
    panels=tuple(panels.PANELS),
    documents=documents.RENDERERS,
    cron=(("portal.blueprints.canteen.jobs.remind_unpublished_menu", "*/15 * * * *"),),
    nav=NavEntry(_l("Menu"), "canteen.index", order=40),
    account_links=(NavEntry(_l("Diet preferences / allergens"), "canteen.preferences"),),
    demo=demo.load_demo_menu,
    scripts=("js/canteen.js",),
    url_arguments=sweep.url_arguments,
)
