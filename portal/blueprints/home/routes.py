"""Home: each person's day at a glance."""

from flask import Blueprint, render_template
from flask_babel import gettext as _
from flask_login import current_user

from portal.blueprints.accounts.sessions import reads_who_only
from portal.blueprints.home.panels import panels_for, render_panel
from portal.templating import framed, kept_render
from portal.timeutil import local_today

bp = Blueprint("home", __name__, template_folder="templates")


@bp.get("/")
@reads_who_only(apart=True)  # the person and every panel on one connection, outside the ORM
def index():
    """My day: one panel per module and role."""
    person = current_user._get_current_object()  # once, not through the proxy per panel
    panels = tuple(render_panel(template, values) for template, values in panels_for(person))
    today = local_today()
    content = kept_render(("home", person.name, today, panels), lambda: render_template(
        "home/index.html", name=person.name, today=today, panels=panels))
    return framed(_("My day"), content)


@bp.get("/more")
def more():
    """Every destination, for the phone's tab bar, which shows only the first few."""
    return render_template("home/more.html")
