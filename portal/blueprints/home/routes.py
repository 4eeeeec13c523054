"""Home: each person's day at a glance."""

from flask import Blueprint, render_template
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from portal.blueprints.accounts.sessions import reads_who_only
from portal.blueprints.home.panels import panels_for, render_panel
from portal.keys import plain
from portal.templating import framed, kept_render
from portal.timeutil import local_today

bp = Blueprint("home", __name__, template_folder="templates")


@bp.get("/")
@reads_who_only(apart=True)  # the person and every panel on one connection, outside the ORM
def index():
    """My day: one panel per module and role.

    The content is kept per the name, the day and every panel's values (plain data): a reload
    with nothing changed renders nothing. A panel whose values are not plain data is rendered
    each time, and the content is then kept per the panels' HTML."""
    person = current_user._get_current_object()  # once, not through the proxy per panel
    shown = panels_for(person)
    today = local_today()
    try:
        key = ("home", person.name, today, *[(template, plain(values))
                                             for template, values in shown])
        panels = None
    except TypeError:
        panels = tuple(render_panel(template, values) for template, values in shown)
        key = ("home", person.name, today, panels)

    def render() -> str:
        html = panels if panels is not None else [
            Markup(render_template(template, panel=values)) for template, values in shown]
        return render_template("home/index.html", name=person.name, today=today, panels=html)

    return framed(_("My day"), kept_render(key, render))


@bp.get("/more")
def more():
    """Every destination, for the phone's tab bar, which shows only the first few."""
    return render_template("home/more.html")
