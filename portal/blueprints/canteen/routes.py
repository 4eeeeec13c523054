"""Canteen menu 食堂菜单. (Stub: being built in issue 5.)"""

from flask import Blueprint, render_template

bp = Blueprint("canteen", __name__, url_prefix="/canteen", template_folder="templates")


@bp.get("/")
def index():
    """Today's menu, then the week."""
    return render_template("canteen/index.html")
