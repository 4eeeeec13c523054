"""Repair requests 报修. (Stub: being built in issue 4.)"""

from flask import Blueprint, render_template

bp = Blueprint("repairs", __name__, url_prefix="/repairs", template_folder="templates")


@bp.get("/")
def index():
    """My repair requests."""
    return render_template("repairs/index.html")
