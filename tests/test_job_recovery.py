"""Nothing is stranded: a document or an e-mail asked for while Redis is down, a job abandoned
by its worker, a job handed to a worker that was already dead.

The sweep (jobs.maintenance.sweep_jobs, every minute) enqueues documents that no job will make
and retries a job whose worker died once, then fails it with a message and a "Try again" button;
it queues notification e-mails that could not be queued, and puts back on the queue a job that a
dead worker's connection took off it.
"""

from unittest import mock

from redis.exceptions import ConnectionError as RedisConnectionError
from rq import Queue, SimpleWorker
from rq.job import Job
from rq.registry import StartedJobRegistry
from sqlalchemy.orm.attributes import set_committed_value

from jobs.maintenance import sweep_jobs
from portal.blueprints.documents.models import Document
from portal.extensions import db
from portal.redis_conn import get_redis


def _ask_for_the_user_list(client) -> tuple[Document, str]:
    response = client.post("/admin/reports/users.xlsx", headers={"HX-Request": "true"})
    assert response.status_code == 200
    document = db.session.scalars(db.select(Document).order_by(Document.id.desc())).first()
    return document, response.get_data(as_text=True)


def _widget(client, document) -> str:
    return client.get(f"/documents/{document.id}", headers={"HX-Request": "true"}).get_data(True)


def _swept() -> dict:
    """What the sweep did for documents (its other counts are tested below)."""
    counts = sweep_jobs()
    return {"enqueued": counts["enqueued"], "failed": counts["failed"]}


def _redis_down():
    return mock.patch("rq.Queue.enqueue", side_effect=RedisConnectionError("connection refused"))


def test_a_document_asked_for_while_redis_is_down_waits_and_is_made_when_it_is_back(
        client, auth, make_user, run_jobs):
    auth.login(make_user("office"))
    with _redis_down():
        document, html = _ask_for_the_user_list(client)
        assert "正在等待后台服务" in html and 'hx-trigger="load delay' in html  # still polling
        assert "正在等待后台服务" in _widget(client, document)
    assert document.status == "queued" and document.job_id == ""
    # Asking again while it waits is the same document, not a second one.
    assert _ask_for_the_user_list(client)[0].id == document.id
    # Redis is back: the sweep enqueues it once, however many sweeps run.
    assert _swept() == {"enqueued": 1, "failed": 0}
    assert _swept() == {"enqueued": 0, "failed": 0}
    assert "正在生成" in _widget(client, document)
    assert run_jobs() == 1
    assert "下载 users-" in _widget(client, document)


def test_a_stale_claim_enqueues_nothing(app, make_user, run_jobs):
    """Two sweeps read the same row: only the first one's conditional UPDATE enqueues."""
    from portal.blueprints.documents.services import dispatch, request_document

    with app.test_request_context():
        document, _ = request_document("users_xlsx", make_user("office"))
        db.session.commit()
        stale_id = document.job_id
        assert dispatch(document)
        set_committed_value(document, "job_id", stale_id)  # the second sweep's copy of the row
        assert not dispatch(document)
    assert run_jobs() == 1


def test_a_job_copy_that_lost_the_claim_does_not_make_the_document(app, make_user, run_jobs):
    from portal.blueprints.documents.services import dispatch, request_document
    from portal.queue import enqueue

    with app.test_request_context():
        document, _ = request_document("users_xlsx", make_user("office"))
        db.session.commit()
        dispatch(document)
    enqueue("jobs.documents.render_document", document.id)  # a stray second job
    assert run_jobs() == 2
    db.session.refresh(document)
    assert document.status == "done" and document.attempts == 1


def _abandon_running_job(app) -> Job:
    """What a kill -9 of the worker's process group leaves: a job started, its heartbeat stopped."""
    queue = Queue(app.config["RQ_QUEUE"], connection=get_redis())
    worker = SimpleWorker([queue], connection=get_redis())
    job = queue.dequeue_any([queue], timeout=None, connection=get_redis())[0]
    worker.prepare_execution(job)
    worker.prepare_job_execution(job)
    db.session.execute(db.update(Document).where(Document.job_id == job.id)
                       .values(status="running", progress=10, attempts=Document.attempts + 1))
    db.session.commit()
    return job


def _expire_heartbeats(app) -> None:
    """As if the 90 s heartbeat had run out (the registry is scored by heartbeat deadline)."""
    queue = Queue(app.config["RQ_QUEUE"], connection=get_redis())
    registry = StartedJobRegistry(queue=queue)
    for member in get_redis().zrange(registry.key, 0, -1):
        get_redis().zadd(registry.key, {member: 1})


def test_a_job_abandoned_by_its_worker_is_retried_once_and_finishes(
        app, client, auth, make_user, run_jobs):
    auth.login(make_user("office"))
    document, _ = _ask_for_the_user_list(client)
    _abandon_running_job(app)
    assert "正在生成" in _widget(client, document)
    _expire_heartbeats(app)
    sweep_jobs()
    assert run_jobs() == 1  # the same job, retried
    db.session.refresh(document)
    assert document.status == "done" and document.attempts == 2


def test_a_job_abandoned_twice_fails_with_a_message_and_a_try_again_button(
        app, client, auth, make_user, run_jobs):
    from tests.conftest import csrf_token_from

    auth.login(make_user("office"))
    document, _ = _ask_for_the_user_list(client)
    for _ in range(2):
        _abandon_running_job(app)
        _expire_heartbeats(app)
        sweep_jobs()
    db.session.refresh(document)
    assert document.status == "failed"
    html = _widget(client, document)
    assert "生成失败" in html and "重试" in html and "abandoned" not in html
    # The button is a POST with CSRF: without the token it is refused, with it the job restarts.
    app.config["WTF_CSRF_ENABLED"] = True
    token = csrf_token_from(client.get("/").get_data(True))
    assert client.post(f"/documents/{document.id}/retry").status_code == 400
    response = client.post(f"/documents/{document.id}/retry", headers={"HX-Request": "true"},
                           data={"csrf_token": token})
    assert "正在生成" in response.get_data(as_text=True)
    assert run_jobs() == 1
    assert "下载 users-" in _widget(client, document)


def test_try_again_on_someone_elses_document_is_404(client, auth, make_user):
    owner = make_user("office")
    document = Document(kind="users_xlsx", owner_id=owner.id, status="failed")
    db.session.add(document)
    db.session.commit()
    auth.login(make_user("office"))
    assert client.post(f"/documents/{document.id}/retry").status_code == 404


def test_a_running_document_whose_job_vanished_is_retried_then_failed(
        client, auth, make_user, run_jobs):
    """Redis lost its data (restarted without persistence): the row still says running."""
    user = make_user("office")
    auth.login(user)
    document = Document(kind="users_xlsx", owner_id=user.id, status="running", attempts=1,
                        job_id="gone", params={"locale": "zh_CN"})
    db.session.add(document)
    db.session.commit()
    assert _swept() == {"enqueued": 1, "failed": 0}
    assert run_jobs() == 1
    db.session.refresh(document)
    assert document.status == "done"
    lost = Document(kind="users_xlsx", owner_id=user.id, status="running", attempts=2,
                    job_id="gone-again", params={"locale": "zh_CN"})
    db.session.add(lost)
    db.session.commit()
    assert _swept() == {"enqueued": 0, "failed": 1}
    assert "生成失败" in _widget(client, lost)


def test_an_email_due_while_redis_was_down_is_sent_once_when_it_is_back(
        app, client, auth, make_user, run_jobs, time_machine):
    """Notified while Redis is down: the person has the bell at once, the e-mail when Redis is
    back (the sweep queues it), once however many sweeps and copies run."""
    from portal.blueprints.notifications.models import Notification
    from portal.blueprints.notifications.services import notify
    from portal.i18n import N_

    app.config["MAIL_SERVER"] = "smtp.invalid"
    person = make_user(email="wang@example.com")
    time_machine.move_to("2026-12-07 09:00:00+08:00", tick=False)
    with _redis_down():
        notify(person, N_("Your password has been changed."))
        db.session.commit()  # the action that notified is committed; nothing raised
    note = db.session.scalars(db.select(Notification).where(
        Notification.user_id == person.id)).one()
    assert note.email_due and get_redis().llen("rq:queue:default") == 0
    sent = []
    with mock.patch("portal.blueprints.notifications.services.deliver_email",
                    side_effect=lambda *message: sent.append(message)):
        assert sweep_jobs()["emails"] == 0  # under a minute old: its own job may be on its way
        time_machine.move_to("2026-12-07 09:02:00+08:00", tick=False)
        assert sweep_jobs()["emails"] == 1
        assert sweep_jobs()["emails"] == 0  # its job is queued: not a second one
        from portal.blueprints.notifications.services import queue_email

        queue_email(note.id)  # a stray copy (the sweep racing the commit)
        assert run_jobs() == 2
        assert sweep_jobs()["emails"] == 0
    assert sent == [("wang@example.com", "密码已修改。", "")]
    db.session.refresh(note)
    assert not note.email_due


def test_a_job_a_dead_worker_took_off_the_queue_is_queued_again(app, make_user, run_jobs):
    """Redis handed the job to a connection whose worker had died (RQ's intermediate list): two
    sweeps a minute apart put it back, and the document is made."""
    from portal.blueprints.documents.services import dispatch, request_document

    with app.test_request_context():
        document, _ = request_document("users_xlsx", make_user("office"))
        db.session.commit()
        dispatch(document)
    queue = Queue(app.config["RQ_QUEUE"], connection=get_redis())
    get_redis().lmove(queue.key, queue.intermediate_queue.key)  # the dead reader's pop
    assert queue.count == 0 and sweep_jobs()["undelivered"] == 0  # first seen: maybe in flight
    first_seen = queue.intermediate_queue.get_first_seen_key(document.job_id)
    get_redis().set(first_seen, float(get_redis().get(first_seen)) - 90)
    assert sweep_jobs()["undelivered"] == 1
    assert run_jobs() == 1
    db.session.refresh(document)
    assert document.status == "done" and document.attempts == 1
