"""The source hook: a task links back to what it came from, and that learns when it closes."""

import os
import threading
import time
from datetime import timedelta

import pytest
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.blueprints.tasks import services, sources
from portal.blueprints.tasks.models import ACCEPTED, CANCELLED, Task, TaskEvent
from portal.extensions import db
from portal.timeutil import utcnow
from tests.factories import PASSWORD

CLOSED: list[tuple[str, int, str]] = []


def _link(source_id, user):
    if source_id == 404:  # the source is gone, or this person may not see it
        return None
    return sources.SourceLink(_l("Suggestion"), f"JY-{source_id:05d} 食堂加一个窗口",
                              f"/suggestions/{source_id}")


@pytest.fixture
def suggestion_kind():
    sources.register_source(sources.TaskSource(
        kind="test_suggestion", link=_link,
        on_accepted=lambda task: CLOSED.append(("accepted", task.source_id, task.status)),
        on_cancelled=lambda task: CLOSED.append(("cancelled", task.source_id, task.status))))
    CLOSED.clear()
    yield
    sources._SOURCES.pop("test_suggestion", None)


def _task(cast, source_id=12, *, kind="test_suggestion", hours=48):
    task = services.create_task(cast.assigner, "食堂加一个窗口", "窗口开放并公告",
                                utcnow() + timedelta(hours=hours), owner=cast.owner,
                                source_kind=kind, source_id=source_id)
    db.session.commit()
    return task


def test_the_task_page_links_back_to_its_source(client, auth, cast, suggestion_kind):
    task = _task(cast)
    auth.login(cast.owner)
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "来源" in page and 'href="/suggestions/12"' in page and "JY-00012" in page


def test_no_link_when_the_source_hides_it_or_its_kind_is_unknown(client, auth, cast,
                                                                  suggestion_kind):
    hidden = _task(cast, 404)
    unknown = _task(cast, 5, kind="no_such_kind")
    auth.login(cast.owner)
    for task in (hidden, unknown):
        page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
        assert "来源" not in page


def test_the_source_learns_of_acceptance_in_the_same_step(client, auth, cast, suggestion_kind):
    task = _task(cast)
    auth.login(cast.owner)
    client.post(f"/tasks/{task.id}/submit", data={"submit-note": "窗口已开"})
    assert CLOSED == []
    auth.logout()
    auth.login(cast.assigner)
    client.post(f"/tasks/{task.id}/accept")
    assert CLOSED == [("accepted", 12, ACCEPTED)]


def test_a_failing_source_callback_undoes_the_acceptance(app, cast):
    def refuse(task):
        raise RuntimeError("the suggestion module could not record it")

    sources.register_source(sources.TaskSource(kind="test_fragile", link=_link,
                                               on_accepted=refuse))
    try:
        task = _task(cast, kind="test_fragile")
        services.submit(task, cast.owner, "完成")
        db.session.commit()
        with pytest.raises(RuntimeError):
            services.accept(task, cast.assigner)
        db.session.rollback()
        assert db.session.get(Task, task.id).status != ACCEPTED
    finally:
        sources._SOURCES.pop("test_fragile", None)


def test_the_assigner_cancels_with_a_reason_and_the_source_and_owner_learn(client, auth, cast,
                                                                             suggestion_kind):
    task = _task(cast)
    auth.login(cast.owner)
    assert client.post(f"/tasks/{task.id}/cancel", data={"cancel-note": "x"}).status_code == 403
    auth.logout()
    auth.login(cast.assigner)
    response = client.post(f"/tasks/{task.id}/cancel", data={"cancel-note": ""})
    assert response.status_code == 422
    assert "请说明取消任务的原因。" in response.get_data(as_text=True)
    client.post(f"/tasks/{task.id}/cancel", data={"cancel-note": "建议已合并到另一条"})
    db.session.refresh(task)
    assert task.status == CANCELLED and task.closed_at is not None
    assert CLOSED == [("cancelled", 12, CANCELLED)]
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "已取消" in page and "建议已合并到另一条" in page
    mine = client.get("/tasks/").get_data(as_text=True).split('id="closed"', 1)
    assert "食堂加一个窗口" not in mine[0] and "食堂加一个窗口" in mine[1]  # closed, not open


def test_a_moved_or_cancelled_source_moves_or_cancels_only_its_open_tasks(app, cast,
                                                                          suggestion_kind):
    first, second, other = _task(cast, 7), _task(cast, 7), _task(cast, 8)
    services.submit(second, cast.owner, "完成")
    services.accept(second, cast.assigner)
    db.session.commit()
    new_due = utcnow() + timedelta(days=5)
    moved = services.move_due_for_source("test_suggestion", 7, new_due, "会议改期")
    db.session.commit()
    assert moved == [first]
    assert first.due_at == new_due and other.due_at != new_due
    assert first.events[-1].actor_id is None and first.events[-1].note == "会议改期"
    cancelled = services.cancel_for_source("test_suggestion", 7, "会议取消")
    db.session.commit()
    assert cancelled == [first] and first.status == CANCELLED and second.status == ACCEPTED
    assert db.session.scalars(select(Task.status).where(Task.source_id == 8)).all() == ["open"]


def test_a_kind_must_fit_the_column():
    with pytest.raises(ValueError):
        sources.register_source(sources.TaskSource(kind="x" * 21, link=_link))


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="two requests at the same moment need PostgreSQL's row locks")
def test_two_people_accepting_at_the_same_moment_accept_once(app, cast):
    """The assigner and the office both press "accept": one acceptance, one callback."""
    first_inside, calls = threading.Event(), []

    def slow_accept(task):
        calls.append(task.id)
        first_inside.set()
        time.sleep(0.5)  # the first acceptance is still uncommitted when the second arrives

    sources.register_source(sources.TaskSource(kind="test_slow", link=_link,
                                               on_accepted=slow_accept))
    try:
        task = _task(cast, kind="test_slow")
        services.submit(task, cast.owner, "完成")
        db.session.commit()
        answers = []
        clients = {}
        for user in (cast.assigner, cast.office):  # signed in first: hashing takes a while
            clients[user.id] = app.test_client()
            with app.app_context():
                clients[user.id].post("/login", data={"employee_no": user.employee_no,
                                                      "password": PASSWORD})

        def accept_as(user):
            with app.app_context():
                answers.append(clients[user.id].post(f"/tasks/{task.id}/accept").status_code)

        one = threading.Thread(target=accept_as, args=(cast.assigner,))
        one.start()
        assert first_inside.wait(10)
        two = threading.Thread(target=accept_as, args=(cast.office,))
        two.start()
        one.join(10)
        two.join(10)
        assert answers == [303, 303]  # the second is told the step is no longer open
        db.session.rollback()
        actions = db.session.scalars(select(TaskEvent.action)
                                     .where(TaskEvent.task_id == task.id)).all()
        assert actions.count("accepted") == 1 and calls == [task.id]
    finally:
        sources._SOURCES.pop("test_slow", None)
