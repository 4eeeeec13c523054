"""The week's editing page shows the steps canteen.services.next_steps gives, nothing else."""

from portal.blueprints.canteen import services
from tests.canteen.conftest import MONDAY, fill_week

WEEK_URL = f"/canteen/manage/{MONDAY}"


def _actions(html: str) -> set[str]:
    found = set()
    for step in ("copy", "publish", "unpublish", "pdf"):
        if f'action="{WEEK_URL}/{step}"' in html:
            found.add(step)
    return found


def test_a_week_not_started_offers_copy_and_publish_but_no_pdf(client, auth, make_user, at):
    auth.login(make_user("employee", "canteen"))
    assert _actions(client.get(WEEK_URL).get_data(as_text=True)) == {"copy", "publish"}


def test_a_draft_with_dishes_offers_publish_and_pdf_then_back_to_draft(client, auth, make_user,
                                                                     dishes, at):
    fill_week(MONDAY, dishes, publish=False)
    auth.login(make_user("employee", "canteen"))
    assert _actions(client.get(WEEK_URL).get_data(as_text=True)) == {"publish", "pdf"}
    client.post(f"{WEEK_URL}/publish")
    assert _actions(client.get(WEEK_URL).get_data(as_text=True)) == {"unpublish", "pdf"}


def test_someone_outside_the_canteen_team_has_no_steps(app, make_user):
    assert services.next_steps(None, make_user("employee")) == []
    assert services.next_steps(None, make_user("employee", "office")) == ["copy", "publish"]
