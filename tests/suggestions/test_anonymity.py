"""Anonymous for real: after an anonymous suggestion nothing in the database links it to the
person, the outbox leaves no receipt, and the code shown once opens it."""

import io
import re
import uuid

from sqlalchemy import inspect, select, text

from portal.blueprints.audit.models import AuditEntry
from portal.blueprints.notifications.models import Notification
from portal.blueprints.pwa.models import OutboxReceipt
from portal.blueprints.suggestions.models import Suggestion
from portal.extensions import db
from tests.suggestions.conftest import jpeg_with_exif


def _send(client, anonymous=True, outbox_id=None, **extra):
    data = {"category_id": "1", "title": "班车太挤", "text": "早上7点班车经常站满，希望加一辆。",
            "photo": (io.BytesIO(jpeg_with_exif()), "IMG_0001.jpg")}
    if anonymous:
        data["anonymous"] = "y"
    data.update(extra)
    headers = {"X-Outbox-Id": outbox_id} if outbox_id else {}
    return client.post("/suggestions/new", data=data, headers=headers,
                       content_type="multipart/form-data")


def _rows_mentioning(values) -> list[str]:
    """Every (table, column) in the database whose value equals or contains one of `values`."""
    found = []
    engine = db.engine
    for table in inspect(engine).get_table_names():
        # user_sessions: the person's own sign-ins (device, last seen to 5 minutes), no suggestion.
        if table in ("users", "user_roles", "user_sessions", "departments", "alembic_version"):
            continue
        for column in inspect(engine).get_columns(table):
            for row in db.session.execute(text(f'SELECT "{column["name"]}" FROM "{table}"')):
                value = row[0]
                if isinstance(value, bytes):
                    hit = any(str(v).encode() in value for v in values)
                else:
                    hit = value is not None and any(
                        str(v) == str(value) or (isinstance(value, str) and len(str(v)) > 2
                                                 and str(v) in value) for v in values)
                if hit:
                    found.append(f"{table}.{column['name']}={str(value)[:40]!r}")
    return found


def test_anonymous_suggestion_leaves_no_trace_of_the_person(client, auth, cast):
    auth.login(cast.employee)
    key = str(uuid.uuid4())
    response = _send(client, outbox_id=key)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/suggestions/sent")
    page = client.get("/suggestions/sent").get_data(as_text=True)
    code = re.search(r'id="follow-up-code"><strong>([0-9A-Z-]+)<', page).group(1)
    assert len(code.replace("-", "")) == 16
    # Shown once: the next visit has no code.
    assert "follow-up-code" not in client.get("/suggestions/sent").get_data(as_text=True)

    suggestion = db.session.scalar(select(Suggestion))
    assert suggestion.anonymous and suggestion.submitter_id is None
    assert suggestion.department_id is None
    assert not hasattr(suggestion, "created_at")  # the day only
    user = cast.employee
    # The users table itself holds the person; no other table may.
    assert _rows_mentioning([user.id, user.name, user.employee_no]) == []
    assert db.session.scalar(select(OutboxReceipt)) is None
    assert db.session.scalars(select(AuditEntry).where(
        AuditEntry.action.like("suggestion%"))).all() == []
    assert db.session.scalars(select(Notification)).all() == []
    # The photo was re-encoded: the camera maker and the artist's name are gone.
    assert b"SecretPhoneMaker" not in suggestion.photo.data
    assert "王小明".encode() not in suggestion.photo.data
    assert code.replace("-", "") not in str(db.session.execute(
        text("SELECT * FROM suggestions")).all())


def test_no_table_holds_the_persons_id_name_or_number(client, auth, cast):
    auth.login(cast.employee)
    _send(client, outbox_id=str(uuid.uuid4()))
    auth.logout()
    user = cast.employee
    # Whatever sign-in and sign-out wrote about the person is theirs (audit of sign-in is
    # the foundation's); none of it may be in a suggestion table, a receipt or a notification.
    hits = _rows_mentioning([user.id, user.name, user.employee_no])
    assert [h for h in hits if h.startswith(("suggestion", "outbox", "notifications",
                                             "documents"))] == []
    audit = [h for h in hits if h.startswith("audit")]
    for entry in db.session.scalars(select(AuditEntry)):
        assert "suggestion" not in entry.action
    assert all("suggestion" not in h for h in audit)


def test_outbox_replay_of_an_anonymous_form_is_taken_once(client, auth, cast):
    auth.login(cast.employee)
    key = str(uuid.uuid4())
    first = _send(client, outbox_id=key)
    again = _send(client, outbox_id=key)
    assert first.status_code == again.status_code == 303
    assert again.headers["Location"].endswith("/suggestions/sent")
    assert len(db.session.scalars(select(Suggestion)).all()) == 1
    assert db.session.scalar(select(OutboxReceipt)) is None


def test_named_suggestion_keeps_its_submitter_and_follows(client, auth, cast):
    auth.login(cast.employee)
    response = _send(client, anonymous=False)
    assert response.status_code == 303
    suggestion = db.session.scalar(select(Suggestion))
    assert suggestion.submitter_id == cast.employee.id and suggestion.code_hash is None
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "班车太挤" in page


def test_the_phone_made_code_is_the_one_that_opens_it(client, auth, cast):
    auth.login(cast.employee)
    _send(client, code="ABCD-EFGH-JKMN-PQRS")
    auth.logout()
    page = client.post("/suggestions/code", data={"code": "abcd efgh jkmn pqrs"})
    assert page.status_code == 200
    assert "班车太挤" in page.get_data(as_text=True)


def test_missing_fields_are_said_beside_them_and_kept(client, auth, cast):
    auth.login(cast.employee)
    response = client.post("/suggestions/new", data={"category_id": "0", "title": "",
                                                     "text": "希望加一辆班车"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "请选择类别" in html or "Choose a category" in html
    assert "希望加一辆班车" in html
