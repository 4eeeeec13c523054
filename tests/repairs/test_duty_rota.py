"""Issue 11 point 2: the rota covers office hours too; facilities see the hours nobody covers."""

from datetime import date, timedelta

from sqlalchemy import select

from portal.blueprints.repairs import calendars, services
from portal.blueprints.repairs.models import OnCallShift
from portal.extensions import db
from tests.panel_values import panel_values
from tests.repairs.conftest import local

TUESDAY_7AM = local(2026, 12, 1, 7, 0)


def _duties(client, user, kind: str, first: str, last: str = ""):
    return client.post("/repairs/rota/duties", data={
        "duty-user_id": user.id, "duty-kind": kind, "duty-first_day": first,
        "duty-last_day": last})


def _shifts() -> list[tuple]:
    db.session.expire_all()
    return [(s.user_id, s.starts_at, s.ends_at)
            for s in db.session.scalars(select(OnCallShift).order_by(OnCallShift.starts_at))]


def test_day_duties_take_a_weekday_afternoon_lab_request(client, auth, cast):
    auth.login(cast.tech)
    response = _duties(client, cast.other_tech, "day", "2026-12-01", "2026-12-04")
    assert response.status_code == 303
    assert "已保存：4 个班次。" in client.get("/repairs/rota").get_data(as_text=True)
    assert _shifts()[0] == (cast.other_tech.id, local(2026, 12, 1, 8, 30),
                            local(2026, 12, 1, 17, 30))
    assert len(_shifts()) == 4 and _shifts()[-1][2] == local(2026, 12, 4, 17, 30)
    repair = services.submit_request(cast.requester, {
        "category": "lab", "urgency": "normal", "location_id": cast.room.id,
        "description": "培养箱报警"}, [], now=local(2026, 12, 2, 15, 0))
    db.session.commit()
    assert repair.assignee_id == cast.other_tech.id
    assert [e.action for e in repair.events] == ["submitted", "rota_assigned"]


def test_a_night_duty_runs_to_half_past_eight_next_morning(client, auth, cast):
    auth.login(cast.tech)
    assert _duties(client, cast.tech, "night", "2026-12-04").status_code == 303
    assert _shifts() == [(cast.tech.id, local(2026, 12, 4, 17, 30), local(2026, 12, 5, 8, 30))]


def test_a_duty_run_ending_before_it_starts_is_refused_beside_the_field(client, auth, cast):
    auth.login(cast.tech)
    response = _duties(client, cast.tech, "day", "2026-12-04", "2026-12-01")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="duty-last_day-error"' in page and "结束日期不能早于起始日期。" in page
    assert 'value="2026-12-04"' in page  # what was typed stays
    assert _shifts() == []


def test_the_rota_page_highlights_the_uncovered_hours_of_the_next_14_days(client, auth, cast,
                                                                         monkeypatch):
    monkeypatch.setattr("portal.blueprints.repairs.manage.utcnow", lambda: TUESDAY_7AM)
    gone = cast.colleague
    gone.active = False  # a shift of someone who has left covers nothing
    db.session.add_all([
        OnCallShift(user=cast.tech, starts_at=local(2026, 11, 30, 17, 30),
                    ends_at=local(2026, 12, 1, 8, 30)),
        OnCallShift(user=cast.other_tech, starts_at=local(2026, 12, 1, 8, 30),
                    ends_at=local(2026, 12, 1, 17, 30)),
        OnCallShift(user=gone, starts_at=local(2026, 12, 1, 17, 30),
                    ends_at=local(2026, 12, 2, 8, 30)),
    ])
    db.session.commit()
    auth.login(cast.tech)
    page = client.get("/repairs/rota").get_data(as_text=True)
    days = page.split('<ul class="coverage">')[1].split("</ul>")[0].split("<li ")[1:]
    assert len(days) == 14
    assert 'class="gap"' in days[0] and "12-01" in days[0]
    assert '无人值班：\n      <span class="span">17:30–24:00</span>' in days[0]
    assert '<span class="span">00:00–24:00</span>' in days[1] and "12-14" in days[13]

    # Covered around the clock for two weeks: nothing is highlighted.
    for offset in range(15):
        for kind in ("day", "night"):
            start, end = calendars.duty_times(date(2026, 11, 30) + timedelta(days=offset), kind)
            db.session.add(OnCallShift(user=cast.other_tech, starts_at=start, ends_at=end))
    db.session.commit()
    page = client.get("/repairs/rota").get_data(as_text=True)
    assert page.count('<li class="covered">') == 14 and 'class="gap"' not in page
    assert page.count("全天有人值班") == 14


def test_facilities_are_warned_on_their_home_page_of_uncovered_hours(client, auth, cast,
                                                                     monkeypatch):
    monkeypatch.setattr("portal.blueprints.repairs.panels.utcnow", lambda: TUESDAY_7AM)
    db.session.add(OnCallShift(user=cast.other_tech, starts_at=local(2026, 12, 1, 0, 0),
                               ends_at=local(2026, 12, 1, 17, 30)))
    db.session.commit()
    auth.login(cast.tech)
    page = client.get("/").get_data(as_text=True)
    assert "值班表有空档" in page
    assert "未来 14 天内有 1 个时段无人值班，最早从 周二 12-01 17:30 开始。" in page
    assert 'href="/repairs/rota"' in page
    auth.logout()
    auth.login(cast.requester)
    assert "值班表有空档" not in client.get("/").get_data(as_text=True)
    auth.logout()

    db.session.add(OnCallShift(user=cast.tech, starts_at=local(2026, 12, 1, 17, 30),
                               ends_at=local(2026, 12, 16, 0, 0)))
    db.session.commit()
    auth.login(cast.tech)
    assert "值班表有空档" not in client.get("/").get_data(as_text=True)


def test_the_rota_panel_holds_plain_values(app, cast, time_machine):
    time_machine.move_to(local(2026, 12, 1, 7, 0) + timedelta(seconds=20.5), tick=False)
    values = panel_values(app, cast.tech, "repairs/_panel_rota.html")  # nobody on duty at all
    assert values == {"count": 1, "first": local(2026, 12, 1, 7, 0), "days": 14}
