"""@outbox: a replayed submission is applied once and answered with the first result."""

import inspect
import re
import uuid
from datetime import timedelta
from pathlib import Path

from flask_login import current_user
from sqlalchemy import func, select

from portal.blueprints.accounts.models import User
from portal.blueprints.accounts.passwords import check_password
from portal.blueprints.pwa.models import OutboxReceipt
from portal.blueprints.pwa.outbox import outbox, purge_receipts
from portal.extensions import db
from portal.timeutil import utcnow
from tests.factories import PASSWORD

NEW = "brand-new-pass-1"


def change(client, key, current=PASSWORD, new=NEW):
    headers = {"X-Outbox-Id": key} if key is not None else {}
    return client.post("/account/password", headers=headers,
                       data={"current": current, "new": new, "confirm": new})


def receipts() -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxReceipt))


def password_of(user) -> str:
    db.session.expire_all()
    return db.session.get(User, user.id).password_hash


def test_same_id_twice_changes_the_password_once_and_answers_the_first_result(
        client, auth, make_user):
    user = make_user()
    auth.login(user)
    key = str(uuid.uuid4())

    first = change(client, key)
    assert first.status_code == 303
    hash_after_first = password_of(user)
    assert check_password(hash_after_first, NEW)

    # The replay says the old password again: applied a second time it would fail (422).
    second = change(client, key)
    assert second.status_code == 303
    assert second.headers["Location"] == first.headers["Location"]
    assert second.headers["X-Outbox-Replayed"] == "1"
    assert password_of(user) == hash_after_first
    receipt = db.session.get(OutboxReceipt, key)
    assert (receipt.user_id, receipt.endpoint, receipt.status) == (
        user.id, "accounts.change_password", 303)


def test_invalid_data_is_not_recorded_so_the_fixed_form_can_reuse_the_id(client, auth, make_user):
    user = make_user()
    auth.login(user)
    key = str(uuid.uuid4())

    refused = change(client, key, current="wrong-password")
    assert refused.status_code == 422
    assert "data-error" in refused.get_data(as_text=True)
    assert receipts() == 0

    assert change(client, key).status_code == 303
    assert check_password(password_of(user), NEW)
    assert receipts() == 1


def test_another_persons_id_is_refused_with_409(app, make_user):
    owner, other = make_user(), make_user()
    key = str(uuid.uuid4())
    first, second = app.test_client(), app.test_client()
    first.post("/login", data={"employee_no": owner.employee_no, "password": PASSWORD})
    second.post("/login", data={"employee_no": other.employee_no, "password": PASSWORD})
    assert change(first, key).status_code == 303

    answer = change(second, key)
    assert answer.status_code == 409
    assert check_password(password_of(other), PASSWORD)


def test_malformed_id_is_ignored_and_the_form_works_as_a_plain_post(client, auth, make_user):
    user = make_user()
    auth.login(user)

    assert change(client, "not-a-uuid").status_code == 303
    assert check_password(password_of(user), NEW)
    assert receipts() == 0


def test_id_is_recorded_in_canonical_form(client, auth, make_user):
    user = make_user()
    auth.login(user)
    key = uuid.uuid4()

    assert change(client, str(key).upper()).status_code == 303
    assert change(client, str(key), current=NEW, new="third-pass-33").headers[
        "X-Outbox-Replayed"] == "1"
    assert db.session.get(OutboxReceipt, str(key)) is not None


def test_expired_session_gets_json_401_not_the_login_page(client, make_user):
    answer = change(client, str(uuid.uuid4()))
    assert answer.status_code == 401
    assert answer.get_json()["error"] == "login_required"


def test_csrf_failure_on_a_replay_answers_json(csrf_app, make_user):
    user = make_user()
    client = csrf_app.test_client()
    page = client.get("/login")
    from tests.conftest import csrf_token_from

    token = csrf_token_from(page.get_data(as_text=True))
    client.post("/login", data={"employee_no": user.employee_no, "password": PASSWORD,
                                "csrf_token": token})
    key = str(uuid.uuid4())
    stale = client.post("/account/password", headers={"X-Outbox-Id": key, "X-CSRFToken": "old"},
                        data={"current": PASSWORD, "new": NEW, "confirm": NEW})
    assert stale.status_code == 403
    assert stale.get_json() == {"error": "csrf"}

    anonymous = csrf_app.test_client().post("/account/password", headers={"X-Outbox-Id": key},
                                            data={"current": PASSWORD})
    assert anonymous.status_code == 401
    assert anonymous.get_json()["error"] == "login_required"
    # Without the outbox header it is still the ordinary error page.
    plain = client.post("/account/password", data={"current": PASSWORD})
    assert plain.status_code == 400
    assert "<html" in plain.get_data(as_text=True)


def test_old_receipts_are_purged(client, auth, make_user):
    user = make_user()
    db.session.add_all([
        OutboxReceipt(id=str(uuid.uuid4()), user_id=user.id, endpoint="x", status=303,
                      created_at=utcnow() - timedelta(days=40)),
        OutboxReceipt(id=str(uuid.uuid4()), user_id=user.id, endpoint="x", status=303),
    ])
    db.session.commit()

    assert purge_receipts(30) == 1
    db.session.commit()
    assert receipts() == 1


def test_a_view_that_commits_and_then_refuses_leaves_no_empty_sent_receipt(app, client, auth,
                                                                           make_user):
    def refuse_after_commit():
        current_user.phone = "13800000000"
        db.session.commit()
        return "<p data-error>不行</p>", 422

    app.add_url_rule("/test/refuse", "test_refuse", outbox(refuse_after_commit),
                     methods=["POST"])
    auth.login(make_user())
    key = str(uuid.uuid4())
    first = client.post("/test/refuse", headers={"X-Outbox-Id": key})
    assert first.status_code == 422
    assert receipts() == 0
    replay = client.post("/test/refuse", headers={"X-Outbox-Id": key})
    assert replay.status_code == 422 and "X-Outbox-Replayed" not in replay.headers


TEMPLATES = Path(__file__).resolve().parents[2] / "portal"


def _outbox_forms():
    """(template, its <form> tag) for every form marked data-outbox."""
    for path in sorted(TEMPLATES.rglob("templates/**/*.html")):
        for tag in re.findall(r"<form\b[^>]*>", path.read_text()):
            if re.search(r"\sdata-outbox\b", tag):
                yield path, tag


def _views_rendering(app, template: str) -> set[str]:
    """Endpoints whose view renders `template` (a form without action posts to its own page)."""
    found = set()
    for endpoint, view in app.view_functions.items():
        try:
            source = inspect.getsource(inspect.unwrap(view))
        except (OSError, TypeError):
            continue
        if f'"{template}"' in source or f"'{template}'" in source:
            found.add(endpoint)
    return found


def test_every_data_outbox_form_posts_to_an_outbox_view(app):
    # A form kept offline is replayed: without @outbox the replay would apply it twice.
    checked = 0
    for path, tag in _outbox_forms():
        action = re.search(r"""action="\{\{\s*url_for\(['"]([\w.]+)['"]""", tag)
        if action:
            endpoints = {action.group(1)}
        else:
            assert "action=" not in tag, f"{path.name}: name the endpoint with url_for: {tag}"
            template = path.as_posix().rsplit("/templates/", 1)[1]
            endpoints = _views_rendering(app, template)
            assert endpoints, f"no view renders {template}"
        for endpoint in endpoints:
            assert getattr(app.view_functions[endpoint], "outbox", False), (path.name, endpoint)
            checked += 1
    assert checked >= 5


def _slow_outbox_view(app, name):
    """A view that commits its write (and so the unanswered receipt), then waits to answer."""
    import threading

    from flask import redirect

    committed, release = threading.Event(), threading.Event()

    def slow():
        current_user.phone = "13800000001"
        db.session.commit()
        committed.set()
        release.wait(10)
        return redirect("/account", code=303)

    app.add_url_rule(f"/test/{name}", name, outbox(slow), methods=["POST"])
    return committed, release


def _two_clients(app, user):
    clients = [app.test_client(), app.test_client()]
    for one in clients:
        one.post("/login", data={"employee_no": user.employee_no, "password": PASSWORD})
    return clients


def _post_in_thread(client, url, key):
    import threading

    answers = []

    def post():
        with client.application.app_context():  # the test client tidies up in one
            answers.append(client.post(url, headers={"X-Outbox-Id": key,
                                                     "Accept": "application/json"}))

    thread = threading.Thread(target=post)
    thread.start()
    return thread, answers


def test_a_concurrent_copy_waits_for_the_first_copys_answer(app, make_user):
    committed, release = _slow_outbox_view(app, "slow_answer")
    first, second = _two_clients(app, make_user())
    key = str(uuid.uuid4())
    thread_one, one = _post_in_thread(first, "/test/slow_answer", key)
    assert committed.wait(10)
    thread_two, two = _post_in_thread(second, "/test/slow_answer", key)
    thread_two.join(0.5)  # the copy is waiting for the first answer, not answering blank
    assert two == []
    release.set()
    thread_one.join(10)
    thread_two.join(10)
    assert one[0].status_code == 303
    assert two[0].status_code == 303
    assert two[0].headers["Location"] == one[0].headers["Location"]
    assert two[0].headers["X-Outbox-Replayed"] == "1"


def test_a_concurrent_copy_hears_already_being_sent_when_the_first_takes_long(app, make_user,
                                                                             monkeypatch):
    from portal.blueprints.pwa import outbox as module

    monkeypatch.setattr(module, "WAIT_SECONDS", 0.3)
    committed, release = _slow_outbox_view(app, "slow_busy")
    first, second = _two_clients(app, make_user())
    key = str(uuid.uuid4())
    thread_one, one = _post_in_thread(first, "/test/slow_busy", key)
    try:
        assert committed.wait(10)
        thread_two, two = _post_in_thread(second, "/test/slow_busy", key)
        thread_two.join(10)
        assert two[0].status_code == 409
        assert two[0].headers["Retry-After"] == "2"
        assert two[0].get_json() == {"error": "in_progress"}
    finally:
        release.set()
        thread_one.join(10)
    assert one[0].status_code == 303
    # Asked again once the first is done: the first answer.
    again = second.post("/test/slow_busy", headers={"X-Outbox-Id": key})
    assert again.status_code == 303 and again.headers["X-Outbox-Replayed"] == "1"


def test_a_refused_outbox_form_gets_its_field_errors_as_json_in_the_persons_language(
        client, auth, make_user):
    auth.login(make_user())
    answer = client.post("/account/password",
                         headers={"X-Outbox-Id": str(uuid.uuid4()),
                                  "Accept": "application/json, text/html;q=0.9"},
                         data={"current": "wrong-password", "new": NEW, "confirm": NEW})
    assert answer.status_code == 422
    assert answer.get_json() == {"errors": {"current": ["当前密码错误。"]}}
    assert receipts() == 0
