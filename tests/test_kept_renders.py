"""Renders kept per their data (portal.templating.kept_render, home's panels): a render is
reused only for exactly the same data, so it never shows one person's data to another, nor
data from before an edit (issue 18)."""

import re
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from markupsafe import Markup
from sqlalchemy import select

from portal.blueprints.accounts.models import User
from portal.blueprints.notifications.models import Notification
from portal.blueprints.notifications.services import notify
from portal.extensions import db
from portal.keys import plain
from tests.conftest import signed_in_with_csrf
from tests.factories import PASSWORD


def test_plain_data_makes_a_key_and_anything_else_is_refused(app):
    row = db.session.execute(select(User.id, User.name).limit(1)).first()
    key = plain({"rows": [(1, "a", date(2026, 12, 7))], "row": row, "none": None})
    assert hash(key) == hash(plain({"rows": [(1, "a", date(2026, 12, 7))], "row": row,
                                    "none": None}))
    with pytest.raises(TypeError):
        plain({"person": User(name="王小明")})  # an ORM object: a template may follow it
    with pytest.raises(TypeError):
        plain({"set": {1, 2}})


@pytest.mark.parametrize("one, other", [
    (1, True), (1, 1.0), ("<b>", Markup("<b>")), ([1, 2], (1, 2)), ({"a": 1}, [("a", 1)]),
    (date(2026, 12, 7), datetime(2026, 12, 7)),
    (datetime(2026, 12, 7, 8, tzinfo=timezone(timedelta(hours=8))),
     datetime(2026, 12, 7, 0, tzinfo=UTC)),  # the same instant, written differently
])
def test_values_that_render_differently_make_different_keys(one, other):
    assert plain({"x": one}) != plain({"x": other})


def _notes(client) -> str:
    html = client.get("/").get_data(as_text=True)
    start = html.index('aria-labelledby="panel-notes"')
    return html[start:html.index("</section>", start)]


def test_a_kept_panel_shows_each_person_their_own_data_and_follows_edits(app, make_user):
    first, second = make_user(name="王小明"), make_user(name="李建华")
    notify(first, "工资条已发放")
    db.session.commit()
    clients = {}
    for person in (first, second):
        clients[person.id] = app.test_client()
        clients[person.id].post("/login", data={"employee_no": person.employee_no,
                                                "password": PASSWORD})
    for _ in range(2):  # the second time from what is kept
        assert "工资条已发放" in _notes(clients[first.id])
        assert "工资条已发放" not in _notes(clients[second.id])

    notify(second, "会议室已预订")
    note = db.session.scalar(select(Notification).where(Notification.user_id == first.id))
    note.read_at = datetime.now(UTC)
    db.session.commit()
    assert "工资条已发放" not in _notes(clients[first.id])  # read: gone at once
    assert "会议室已预订" in _notes(clients[second.id])
    assert "会议室已预订" not in _notes(clients[first.id])


def test_a_page_kept_encoded_is_the_page_kept_as_text(app):
    """The menu keeps its pieces as UTF-8 (`encoded`) and fills them as bytes: the same bytes
    as filling the text and encoding it, the CSRF hole filled with this session's token."""
    from portal.templating import HOLE, encoded, fill, fill_encoded, hole

    text = f"<h1>今日菜单</h1>{hole('note')}<form>{hole('csrf')}</form>{hole('page')}<p>完</p>"
    pieces = HOLE.split(text)
    values = {"note": Markup("<em>辣</em>"), "page": "&amp; 第二页".encode()}
    with app.test_request_context("/canteen/"):
        expected = fill(pieces, {**values, "page": Markup("&amp; 第二页")}).encode()
        assert fill_encoded(encoded(pieces), dict(values)) == expected
    assert b"<em>\xe8\xbe\xa3</em>" in expected and b'<form></form>' not in expected


KEPT_PAGES = ["/", "/canteen/", "/repairs/", "/shuttle/", "/overtime/", "/tasks/", "/meetings/",
              "/suggestions/", "/visitors/"]


def test_every_kept_page_carries_only_its_reader_s_form_token(csrf_app, make_user,
                                                              time_machine):
    """Two people with every role and no data of their own get alike pages, so the second is
    served what was kept for the first: each page must carry its reader's CSRF token alone (a
    form's hidden_tag() in a kept template would write the first one's into it)."""
    time_machine.move_to(datetime(2026, 12, 8, 3, 0, tzinfo=UTC), tick=False)  # one minute
    roles = ("employee", "office", "facilities", "reception", "canteen")
    tokens = []
    for person in (make_user(*roles), make_user(*roles)):
        client = signed_in_with_csrf(csrf_app, person)
        found = set()
        for path in KEPT_PAGES:
            page = client.get(path)
            assert page.status_code == 200, path
            found |= {re.search(r'value="([^"]*)"', field).group(1) for field in re.findall(
                r'<input[^>]*name="csrf_token"[^>]*>', page.get_data(as_text=True))}
        tokens.append(found)
    assert len(tokens[0]) == len(tokens[1]) == 1 and tokens[0] != tokens[1]
