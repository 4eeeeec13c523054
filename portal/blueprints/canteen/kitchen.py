"""The canteen team at work: tonight's headcount (live and printable), ratings, the wall PDF."""

from datetime import date

from flask import abort
from flask_babel import gettext as _
from flask_login import current_user

from portal.blueprints.accounts.sessions import reads_who_only
from portal.blueprints.canteen import queries
from portal.blueprints.canteen.routes import bp
from portal.blueprints.documents.services import progress_widget, start_document
from portal.exports import table_download
from portal.htmx import render
from portal.security import role_required
from portal.templating import current_lang, month_label
from portal.timeutil import local_now, local_today

KITCHEN = ("canteen", "office")
POLL_SECONDS = 10


@bp.get("/tonight")
@reads_who_only
@role_required(*KITCHEN)
def tonight():
    """Tonight's night meals by dish; the count region refreshes itself."""
    today = local_today()
    return render("canteen/tonight.html", "headcount", day=today, counts=queries.headcount(today),
                  guests=queries.guests(today), cutoff=queries.night_cutoff(),
                  poll=POLL_SECONDS, now=local_now())


@bp.get("/tonight/print")
@role_required(*KITCHEN)
def tonight_print():
    """A print-friendly sheet: counts by dish, then who ordered what (to hand meals out)."""
    today = local_today()
    return render("canteen/tonight_print.html", None, day=today,
                  counts=queries.headcount(today), reservations=queries.reservations(today),
                  guests=queries.guests(today),
                  now=local_now())


@bp.get("/ratings")
@role_required(*KITCHEN)
def ratings():
    """Which dishes people like: average and count per dish, overall and by month."""
    today = local_today()
    return render("canteen/ratings.html", None, summary=queries.rating_summary(today),
                  months=queries.last_months(today))


@bp.get("/ratings.<fmt>")
@role_required(*KITCHEN)
def ratings_export(fmt: str):
    """The ratings table as CSV or XLSX: the month columns split into average and count."""
    today = local_today()
    months = queries.last_months(today)
    headers = [_("Dish"), _("Average"), _("Ratings")]
    for first in months:
        headers += [f"{month_label(first)} {_('Average')}", f"{month_label(first)} {_('Ratings')}"]
    rows = []
    for row in queries.rating_summary(today):
        cells = [row["dish"].label(current_lang()), round(row["average"], 2), row["count"]]
        for _first, average, count in row["months"]:
            cells += [round(average, 2) if average is not None else "", count]
        rows.append(cells)
    return table_download(fmt, f"canteen-ratings-{today:%Y%m%d}", _("Dish ratings"), headers,
                          rows)


@bp.post("/manage/<date:monday>/pdf")
@role_required(*KITCHEN)
def week_pdf(monday: date):
    """Start (or reuse) the A4 wall PDF of a week; cached until the menu changes.

    Only a published week's PDF is shared by cache key: documents/services.get_document lets
    anyone signed in open a document that has one. A draft's PDF has none, so it stays its
    maker's alone (an employee must not read next week's menu before it is published).
    """
    week = queries.week_of(monday)
    if week is None or monday.weekday() != 0:
        abort(404)
    cache_key = f"canteen-week:{monday}:r{week.revision}" if week.published else ""
    document = start_document("canteen_week_pdf", current_user, cache_key=cache_key,
                              monday=monday.isoformat(), locale="zh_CN",
                              revision=week.revision)  # a draft edited meanwhile: made anew
    return progress_widget(document)
