"""The visitor's e-mail invitation: only with an address and mail configured; bilingual, with
the visit code; an update when the visit moves."""

from rq import Queue

from portal.blueprints.visitors.models import Visit
from portal.extensions import db
from portal.queue import get_redis
from tests.visitors.conftest import form


def _mails(app) -> list[tuple]:
    queue = Queue(app.config["RQ_QUEUE"], connection=get_redis())
    return [job.args for job in queue.jobs if job.func_name == "jobs.mail.send_email"]


def test_no_mail_server_no_invitation(app, client, auth, cast):
    auth.login(cast.host)
    client.post("/visitors/new", data=form(cast, guests="张伟, 华星科技, , zhang@example.com"))
    assert _mails(app) == []


def test_invitation_and_its_update_go_to_visitors_with_an_address(app, client, auth, cast):
    app.config["MAIL_SERVER"] = "127.0.0.1"
    auth.login(cast.host)
    client.post("/visitors/new", data=form(
        cast, guests="张伟, 华星科技, , zhang@example.com\n刘芳, 华星科技"))
    mails = _mails(app)
    assert len(mails) == 1
    to, subject, body = mails[0]
    visit = db.session.query(Visit).one()
    assert to == "zhang@example.com" and "2026-12-08 10:00" in subject
    assert visit.code in body and "陈经理" in body and "Host: 陈经理" in body
    assert "13812345678" not in body
    client.post(f"/visitors/{visit.id}/move", data={
        "arrives_at": "2026-12-09T10:00", "departs_at": "2026-12-09T16:00"})
    assert len(_mails(app)) == 2 and "2026-12-09 10:00" in _mails(app)[1][1]
