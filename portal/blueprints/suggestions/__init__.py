"""Staff suggestions 员工意见箱: anyone suggests (named, anonymous with a follow-up code, or on a
paper slip); the office triages weekly, routes to departments, merges duplicates and publishes
answers; every item ends solved, planned (a task) or declined. See docs/suggestions.md."""

from flask_babel import lazy_gettext as _l

from portal.blueprints.suggestions import demo, documents, models, panels
from portal.blueprints.suggestions.routes import bp
from portal.modules import Module, NavEntry

# The views of the other files register on the same blueprint.
from portal.blueprints.suggestions import followup, office, paper  # noqa: E402,F401  isort: skip

MODULE = Module(
    name="suggestions",
    blueprint=bp,
    models=models,
    panels=tuple(panels.PANELS),
    documents=documents.RENDERERS,
    cron=(("portal.blueprints.suggestions.jobs.remind_unanswered", "0 1 * * *"),  # 09:00 CST
          # Monday 07:30 in Shanghai is Sunday 23:30 UTC.
          ("portal.blueprints.suggestions.jobs.make_weekly_digest", "30 23 * * 0")),
    nav=NavEntry(_l("Suggestions"), "suggestions.index", order=50),
    demo=demo.load_demo,
    scripts=("js/suggestions.js",),
    url_arguments=demo.url_arguments,
)
