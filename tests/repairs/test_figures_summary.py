"""The monthly figures come from summaries kept current with every request change; they must
equal what the requests themselves say, month by month, in local days."""

from datetime import timedelta

import pytest
from sqlalchemy import Float, case, cast, func, select, update

from portal.blueprints.repairs import figures_summary, services
from portal.blueprints.repairs.figures import TOTAL, month_bounds, monthly_figures
from portal.blueprints.repairs.jobs import check_repair_figures
from portal.blueprints.repairs.models import RepairDayFigures, RepairFigureTime, RepairRequest
from portal.extensions import db
from portal.timeutil import portal_tz
from tests.repairs.conftest import local

MONTHS = ((2026, 6), (2026, 7))


def _minutes(later, earlier):
    if db.engine.dialect.name == "postgresql":
        return cast(func.extract("epoch", later - earlier) / 60, Float)
    return (func.julianday(later) - func.julianday(earlier)) * 1440


def _median(values):
    values = sorted(values)
    if not values:
        return None
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def figures_from_requests(year: int, month: int) -> dict:
    """The month's figures counted straight from the requests (how the page worked before the
    summaries): {category or TOTAL: (opened, closed, resolved, within, median response,
    median resolution)}."""
    start, end = month_bounds(year, month)
    R = RepairRequest
    within = (R.resolved_at <= R.resolution_due) & (
        func.coalesce(R.accepted_at, R.resolved_at) <= R.response_due)
    rows = db.session.execute(select(
        R.category,
        case(((R.created_at >= start) & (R.created_at < end), 1), else_=0),
        case(((R.closed_at >= start) & (R.closed_at < end), 1), else_=0),
        case(((R.resolved_at >= start) & (R.resolved_at < end), 1), else_=0),
        case(((R.resolved_at >= start) & (R.resolved_at < end) & within, 1), else_=0),
        case(((R.created_at >= start) & (R.created_at < end), _minutes(R.accepted_at,
                                                                        R.created_at))),
        case(((R.resolved_at >= start) & (R.resolved_at < end), _minutes(R.resolved_at,
                                                                         R.created_at))),
    )).all()
    result = {}
    for key in {row[0] for row in rows} | {TOTAL}:
        mine = [row for row in rows if key in (row[0], TOTAL)]
        result[key] = (sum(r[1] for r in mine), sum(r[2] for r in mine), sum(r[3] for r in mine),
                       sum(r[4] for r in mine), _median([r[5] for r in mine if r[5] is not None]),
                       _median([r[6] for r in mine if r[6] is not None]))
    return {key: values for key, values in result.items() if key == TOTAL or any(values[:3])}


def figures_from_summaries(year: int, month: int) -> dict:
    rows, total = monthly_figures(year, month)
    return {row.category: (row.opened, row.closed, row.resolved, row.within, row.median_response,
                           row.median_resolution)
            for row in [*rows, total] if row.opened or row.closed or row.resolved
            or row.category == TOTAL}


def assert_same_figures():
    db.session.flush()
    for year, month in MONTHS:
        expected, shown = figures_from_requests(year, month), figures_from_summaries(year, month)
        assert shown.keys() == expected.keys(), (year, month)
        for key, values in expected.items():
            assert shown[key][:4] == values[:4], (year, month, key)
            for got, want in zip(shown[key][4:], values[4:], strict=True):
                assert got == pytest.approx(want, abs=0.01), (year, month, key)


def _file(cast, category: str, at, urgency: str = "normal") -> RepairRequest:
    data = {"category": category, "urgency": urgency, "location_id": cast.room.id,
            "description": "统计"}
    return services.submit_request(cast.requester, data, [], now=at)


def test_summaries_follow_every_step_across_a_month_boundary_in_local_days(app, cast,
                                                                           time_machine):
    # 30 June 23:30 in Shanghai is still June there, but 1 July 00:30 is July, though both are
    # 30 June in UTC: the figures count local days.
    late_june = local(2026, 6, 30, 23, 30)
    early_july = local(2026, 7, 1, 0, 30)
    time_machine.move_to(late_june, tick=False)
    june = [_file(cast, "aircon", late_june), _file(cast, "lab", late_june, "urgent"),
            _file(cast, "lighting", local(2026, 6, 12, 9, 0))]
    july = [_file(cast, "aircon", early_july), _file(cast, "it", early_july)]
    db.session.commit()
    assert_same_figures()

    time_machine.move_to(late_june + timedelta(minutes=20), tick=False)
    for repair in june:
        services.accept(repair, cast.tech, cast.tech)
    services.start(june[0], cast.tech)
    services.resolve(june[0], cast.tech, "好了")  # resolved in June
    db.session.commit()
    assert_same_figures()

    time_machine.move_to(early_july + timedelta(hours=3), tick=False)
    for repair in july:
        services.accept(repair, cast.tech, cast.tech)
    for repair in (june[1], july[0]):
        services.start(repair, cast.tech)
        services.resolve(repair, cast.tech, "修好")  # filed in June, resolved in July
    services.confirm(june[0], cast.requester)  # closed in July
    db.session.commit()
    assert_same_figures()

    time_machine.move_to(early_july + timedelta(days=2), tick=False)
    services.reopen(july[0], cast.requester, "还是坏的")  # no longer resolved
    services.reopen(june[1], cast.requester, "又坏了")
    db.session.commit()
    assert_same_figures()

    time_machine.move_to(early_july + timedelta(days=40), tick=False)  # August: late
    services.start(june[1], cast.tech)
    services.resolve(june[1], cast.tech, "这次好了")
    services.confirm(june[1], cast.requester)
    july[1].category = "plumbing"  # recategorised by hand, with its times
    june[2].accepted_at = june[2].created_at + timedelta(hours=5)
    june[0].resolution_due = june[0].created_at  # a target changed after the fact
    db.session.commit()
    assert_same_figures()

    db.session.delete(july[0])
    db.session.commit()
    assert_same_figures()
    rows, total = monthly_figures(2026, 7)
    assert total.opened == 1 and {row.category: row.opened for row in rows}["plumbing"] == 1


def test_a_rolled_back_change_leaves_the_summaries_as_they_were(app, cast):
    repair = _file(cast, "aircon", local(2026, 6, 10, 9, 0))
    db.session.commit()
    services.accept(repair, cast.tech, cast.tech)
    db.session.flush()
    db.session.rollback()
    assert_same_figures()
    assert monthly_figures(2026, 6)[1].median_response is None


def _summaries() -> tuple[set, set]:
    return ({tuple(row) for row in db.session.execute(select(
                RepairDayFigures.day, RepairDayFigures.category, RepairDayFigures.opened,
                RepairDayFigures.responded, RepairDayFigures.closed, RepairDayFigures.resolved,
                RepairDayFigures.within).where(
                (RepairDayFigures.opened + RepairDayFigures.closed + RepairDayFigures.resolved)
                > 0))},
            {(row.request_id, row.kind, row.month, row.category, round(row.minutes, 4))
             for row in db.session.scalars(select(RepairFigureTime))})


def test_rebuild_and_the_nightly_check_repair_what_went_around_the_orm(app, cast, time_machine):
    time_machine.move_to(local(2026, 7, 20, 10, 0), tick=False)
    repairs = [_file(cast, category, local(2026, 7, day, 10, 0))
               for day, category in ((1, "aircon"), (2, "lab"), (15, "it"))]
    for repair in repairs:
        services.accept(repair, cast.tech, cast.tech)
    db.session.commit()
    kept = _summaries()
    figures_summary.rebuild(db.session.connection(), portal_tz())
    assert _summaries() == kept  # counted incrementally = counted again from scratch
    assert figures_summary.check(db.session.connection(), portal_tz(),
                                 local(2026, 7, 20, 10, 0).date()) is True

    # An UPDATE statement bypasses the ORM: the check finds the difference and rebuilds.
    db.session.execute(update(RepairRequest).where(RepairRequest.id == repairs[0].id)
                       .values(category="plumbing"))
    db.session.commit()
    with pytest.raises(AssertionError):
        assert_same_figures()
    assert check_repair_figures() is False  # the nightly job: found the difference, rebuilt
    assert_same_figures()
    assert figures_summary.check(db.session.connection(), portal_tz(),
                                 local(2026, 7, 20, 10, 0).date()) is True


def test_a_portal_in_another_time_zone_counts_its_own_local_days(app, cast):
    # 1 July 00:30 in Shanghai is 30 June 16:30 in UTC: June for a portal kept in UTC.
    _file(cast, "aircon", local(2026, 7, 1, 0, 30))
    db.session.commit()
    assert monthly_figures(2026, 7)[1].opened == 1
    app.config["TIMEZONE"] = "UTC"
    try:
        figures_summary.rebuild(db.session.connection(), portal_tz())
        db.session.commit()
        assert monthly_figures(2026, 6)[1].opened == 1
        assert monthly_figures(2026, 7)[1].opened == 0
        assert_same_figures()
    finally:
        app.config["TIMEZONE"] = "Asia/Shanghai"


def test_the_rebuild_command_counts_every_request(app, cast):
    _file(cast, "aircon", local(2026, 6, 3, 9, 0))
    db.session.commit()
    db.session.execute(figures_summary.delete(RepairDayFigures))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["repairs", "rebuild-figures"])
    assert "1 requests" in result.output
    assert monthly_figures(2026, 6)[1].opened == 1


def test_the_demo_data_shows_the_same_figures_as_counted_from_its_requests(app):
    from portal import demo
    from portal.blueprints.repairs.demo import load_demo
    from portal.timeutil import local_now

    demo.load()
    load_demo()
    db.session.commit()
    now = local_now()
    previous = (now.replace(day=1) - timedelta(days=1))
    for year, month in ((now.year, now.month), (previous.year, previous.month)):
        expected, shown = figures_from_requests(year, month), figures_from_summaries(year, month)
        assert shown.keys() == expected.keys()
        for key, values in expected.items():
            assert shown[key][:4] == values[:4]
            assert shown[key][4:] == pytest.approx(values[4:], abs=0.01)
    assert figures_from_summaries(now.year, now.month)[TOTAL][0] > 0
