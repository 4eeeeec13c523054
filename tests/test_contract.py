"""What every module shares: settings whose defaults are declared once and that reading
never writes."""

from sqlalchemy import func, select

from portal.blueprints.canteen.models import CanteenSettings
from portal.blueprints.repairs.models import RepairSettings
from portal.extensions import db


def _rows(model) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model))


def test_opening_a_settings_page_shows_the_defaults_and_saves_nothing(client, auth, make_user):
    auth.login(make_user("employee", "facilities", "canteen"))
    repairs = client.get("/repairs/settings").get_data(as_text=True)
    assert 'name="auto_confirm_days" required type="number" value="7"' in repairs
    canteen = client.get("/canteen/settings").get_data(as_text=True)
    assert 'value="17:30"' in canteen
    assert (_rows(RepairSettings), _rows(CanteenSettings)) == (0, 0)


def test_the_first_save_creates_the_one_settings_row_and_is_audited(client, auth, make_user):
    from portal.blueprints.audit.models import AuditEntry

    auth.login(make_user("employee", "facilities", "canteen"))
    for _ in range(2):
        assert client.post("/repairs/settings", data={
            "auto_confirm_days": "3", "remind_before_minutes": "30"}).status_code == 303
        assert client.post("/canteen/settings", data={
            "night_cutoff": "18:00", "deadline_weekday": "3",
            "deadline_time": "12:00"}).status_code == 303
    assert (_rows(RepairSettings), _rows(CanteenSettings)) == (1, 1)
    assert db.session.scalar(select(RepairSettings)).auto_confirm_days == 3
    assert db.session.scalar(select(CanteenSettings)).night_cutoff == "18:00"
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["repairs.settings", "canteen.settings"] * 2

