"""Shuttle routes 通勤班车: published timetables with history and diffs, find my route, follow,
the late run's seats, home districts and coverage, new-stop requests."""

from flask_babel import lazy_gettext as _l

from portal.blueprints.shuttle import demo, documents, models, panels
from portal.blueprints.shuttle.routes import bp
from portal.modules import Module, NavEntry


def url_arguments(make_user, make_department) -> dict:
    """A real route (published) and a stop request, for the URL sweeps."""
    from portal.blueprints.shuttle.demo import sample_objects

    return sample_objects(make_user)


MODULE = Module(
    name="shuttle",
    blueprint=bp,
    models=models,
    panels=tuple(panels.PANELS),
    documents=documents.RENDERERS,
    nav=NavEntry(_l("Shuttle"), "shuttle.index", order=45),
    demo=demo.load_demo,
    url_arguments=url_arguments,
)
