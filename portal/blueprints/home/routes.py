"""Home: each person's day at a glance."""

from flask import Blueprint, render_template
from flask_login import current_user

from portal.blueprints.home.panels import panels_for, render_panel
from portal.timeutil import local_now

bp = Blueprint("home", __name__, template_folder="templates")


@bp.get("/")
def index():
    """My day: one panel per module and role."""
    panels = [render_panel(template, values) for template, values in panels_for(current_user)]
    return render_template("home/index.html", panels=panels, today=local_now())


@bp.get("/more")
def more():
    """Every destination, for the phone's tab bar, which shows only the first few."""
    return render_template("home/more.html")
