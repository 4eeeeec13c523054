"""Tasks 督办: assigned work with an owner, a due time and acceptance criteria, followed until
it is accepted. Meetings, visits and suggestions create tasks through services.create_task."""

from flask_babel import lazy_gettext as _l

from portal.blueprints.tasks import demo, models, panels, sweep
from portal.blueprints.tasks.routes import bp
from portal.modules import Module, NavEntry

MODULE = Module(
    name="tasks",
    blueprint=bp,
    models=models,
    panels=tuple(panels.PANELS),
    cron=(("portal.blueprints.tasks.jobs.check_task_deadlines", "*/5 * * * *"),),
    nav=NavEntry(_l("Tasks"), "tasks.index", order=20),
    demo=demo.load_demo,
    url_arguments=sweep.url_arguments,
)
