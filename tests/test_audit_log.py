"""The office's audit log: the action filter finds exactly the actions starting with what was
typed, newest first, page after page."""

from portal.blueprints.audit.services import record
from portal.extensions import db


def test_the_action_filter_finds_actions_by_their_start_and_pages_back(client, auth, make_user):
    office = make_user("office")
    for n in range(60):
        record("calendar.set", f"day:{n}", actor=office)
        record("calendars.x" if n % 2 else "user.login", f"n:{n}", actor=office)
    record("calendar", "bare", actor=office)
    record("Calendar.set", "upper", actor=office)
    db.session.commit()
    auth.login(office)

    page = client.get("/admin/audit/?action=calendar.").get_data(as_text=True)
    assert page.count("<code>calendar.set</code>") == 50
    assert "calendars.x" not in page and "user.login" not in page and "Calendar.set" not in page
    assert "day:59" in page and "day:10" in page and "day:9<" not in page  # newest first
    older = page.split("/admin/audit/?action=calendar.&amp;before=")[1].split('"')[0]
    rest = client.get(f"/admin/audit/?action=calendar.&before={older}").get_data(as_text=True)
    assert rest.count("<code>calendar.set</code>") == 10 and "day:9<" in rest

    page = client.get("/admin/audit/?action=calendar").get_data(as_text=True)
    assert "calendars.x" in page and "bare" in page and "user.login" not in page
    page = client.get("/admin/audit/?action=user.login").get_data(as_text=True)
    assert page.count("<code>user.login</code>") == 30
