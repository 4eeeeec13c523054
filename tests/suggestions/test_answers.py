"""Routing, outcomes with their required fields, planned work as a task, merge, publishing and
the one notification per outcome change."""

from datetime import timedelta

from sqlalchemy import select

from portal.blueprints.notifications.models import Notification
from portal.blueprints.suggestions import answers, services
from portal.blueprints.suggestions.models import DONE, MERGED, PLANNED, Suggestion, SuggestionEvent
from portal.blueprints.tasks.models import ACCEPTED, Task
from portal.extensions import db
from portal.timeutil import local_today
from tests.panel_values import panel_values
from tests.suggestions.conftest import submit


def _notes(user) -> list[str]:
    return [n.title for n in db.session.scalars(
        select(Notification).where(Notification.user_id == user.id).order_by(Notification.id))]


def test_each_outcome_is_refused_without_its_fields(client, auth, cast):
    suggestion, _code = submit(cast)
    auth.login(cast.office)
    url = f"/suggestions/{suggestion.id}/answer"
    for data in ({"outcome": "solved", "text": ""},
                 {"outcome": "declined", "text": ""},
                 {"outcome": "planned", "text": "需要预算", "plan": "", "owner_id": "0"},
                 {"outcome": "planned", "text": "需要预算", "plan": "下月加车",
                  "owner_id": str(cast.head.id), "target_date": ""},
                 {"text": "没有选结果"}):
        response = client.post(url, data=data)
        assert response.status_code == 422, data
        if data.get("text"):
            assert data["text"] in response.get_data(as_text=True)  # what was typed stays
    db.session.refresh(suggestion)
    assert suggestion.status == "open" and suggestion.outcome_version == 0


def test_planned_creates_a_task_and_closes_only_when_it_is_accepted(client, auth, cast):
    suggestion, _code = submit(cast)
    auth.login(cast.office)
    target = local_today() + timedelta(days=30)
    response = client.post(f"/suggestions/{suggestion.id}/answer", data={
        "outcome": "planned", "text": "需要先申请预算", "plan": "下月起晚餐延长到19点",
        "owner_id": str(cast.head.id), "target_date": target.isoformat()})
    assert response.status_code == 303
    db.session.refresh(suggestion)
    task = db.session.get(Task, suggestion.task_id)
    assert suggestion.status == PLANNED
    assert (task.source_kind, task.source_id, task.owner_id) == (
        "suggestion", suggestion.id, cast.head.id)
    assert task.acceptance == "下月起晚餐延长到19点"
    auth.logout()
    auth.login(cast.head)
    client.post(f"/tasks/{task.id}/submit", data={"submit-note": "已延长"})
    db.session.refresh(suggestion)
    assert suggestion.status == PLANNED  # submitted is not accepted
    auth.logout()
    auth.login(cast.office)
    assert client.post(f"/tasks/{task.id}/accept").status_code == 303
    db.session.refresh(suggestion)
    assert db.session.get(Task, task.id).status == ACCEPTED
    assert suggestion.status == DONE


def test_one_notification_per_outcome_change_and_follow_can_be_off(client, auth, cast,
                                                                    make_user):
    suggestion, _code = submit(cast)  # named: the submitter follows it
    supporter, quiet = make_user("employee"), make_user("employee")
    answers.answer(suggestion, cast.office, "solved", "已调整")
    answers.publish([suggestion], cast.office)
    db.session.commit()
    assert len(_notes(cast.employee)) == 1
    services.support(supporter, suggestion)
    services.support(quiet, suggestion)
    services.follow(quiet, suggestion, on=False)
    db.session.commit()
    answers.publish([suggestion], cast.office)  # published already: nobody is told again
    answers.tell_supporters(suggestion)
    db.session.commit()
    assert len(_notes(cast.employee)) == 1 and _notes(supporter) == []
    answers.answer(suggestion, cast.office, "declined", "经核实无法调整")
    answers.tell_supporters(suggestion)  # a second call for the same change tells nobody
    db.session.commit()
    assert len(_notes(cast.employee)) == 2
    assert len(_notes(supporter)) == 1
    assert _notes(quiet) == []


def test_the_office_publishes_the_weekly_batch(client, auth, cast):
    first, _ = submit(cast, title="一号")
    second, _ = submit(cast, title="二号")
    answers.answer(first, cast.office, "solved", "好了")
    db.session.commit()
    auth.login(cast.office)
    response = client.post("/suggestions/inbox/publish", data={})
    assert response.status_code == 303
    db.session.refresh(first)
    db.session.refresh(second)
    assert first.published_at is not None and second.published_at is None
    auth.logout()
    auth.login(cast.outsider)
    board = client.get("/suggestions/").get_data(as_text=True)
    assert "一号" in board and "二号" not in board


def test_the_board_is_kept_yet_shows_my_items_to_me_alone_and_every_change_at_once(
        client, auth, cast):
    """The board's content is kept per its cards (and mine, and the categories), read afresh
    on every request: my named items are on my page only, an anonymous one on nobody's, and a
    publication or a +1 shows on the next load."""
    submit(cast, title="我的署名建议")
    submit(cast, title="我的匿名建议", anonymous=True)
    published, _code = submit(cast, title="早已答复", published=True, user=cast.outsider)
    auth.login(cast.employee)
    page = client.get("/suggestions/").get_data(as_text=True)
    assert "我的署名建议" in page and "我的匿名建议" not in page and "+1 0" in page
    auth.logout()

    auth.login(cast.outsider)
    page = client.get("/suggestions/").get_data(as_text=True)
    assert "我的署名建议" not in page and "早已答复" in page
    assert client.post(f"/suggestions/{published.id}/plus").status_code == 303
    assert "+1 1" in client.get("/suggestions/").get_data(as_text=True)
    auth.logout()

    auth.login(cast.employee)
    assert "+1 1" in client.get("/suggestions/").get_data(as_text=True)


def test_merge_keeps_the_record_and_tells_supporters_once(client, auth, cast, make_user):
    kept, _ = submit(cast, title="班车太挤", published=True)
    duplicate, _ = submit(cast, title="早班车坐不下", published=True,
                          user=make_user("employee"))
    fan = make_user("employee")
    services.support(fan, duplicate)
    db.session.commit()
    before = len(_notes(fan))
    auth.login(cast.office)
    response = client.post(f"/suggestions/{duplicate.id}/merge", data={"kept": kept.number})
    assert response.status_code == 303
    db.session.refresh(duplicate)
    assert duplicate.status == MERGED and duplicate.merged_into_id == kept.id
    assert len(_notes(fan)) == before + 1
    assert not services.following(fan, kept)  # not moved silently: they choose
    actions = db.session.scalars(select(SuggestionEvent.action).where(
        SuggestionEvent.suggestion_id.in_([kept.id, duplicate.id]))).all()
    assert "merged" in actions and "merged_in" in actions
    again = client.post(f"/suggestions/{duplicate.id}/merge", data={"kept": kept.number})
    assert again.status_code == 422
    assert len(_notes(fan)) == before + 1


def test_routing_lets_the_head_and_those_named_answer(client, auth, cast, make_user):
    suggestion, _ = submit(cast)
    helper = make_user("employee", department=cast.department)
    auth.login(cast.office)
    client.post(f"/suggestions/{suggestion.id}/route",
                data={"department_id": str(cast.department.id)})
    auth.logout()
    assert "建议" in _notes(cast.head)[-1] or "Suggestion" in _notes(cast.head)[-1]
    auth.login(cast.head)
    assert client.get(f"/suggestions/{suggestion.id}").status_code == 200
    client.post(f"/suggestions/{suggestion.id}/answerers", data={"user_id": str(helper.id)})
    auth.logout()
    auth.login(helper)
    response = client.post(f"/suggestions/{suggestion.id}/answer",
                           data={"outcome": "declined", "text": "不在本部门职责内"})
    assert response.status_code == 303


def test_others_cannot_see_or_answer_an_unpublished_item(client, auth, cast):
    suggestion, _ = submit(cast)
    auth.login(cast.outsider)
    assert client.get(f"/suggestions/{suggestion.id}").status_code == 404
    assert client.post(f"/suggestions/{suggestion.id}/answer",
                       data={"outcome": "solved", "text": "x"}).status_code == 404
    assert client.get("/suggestions/inbox").status_code == 403
    assert client.post(f"/suggestions/{suggestion.id}/route", data={}).status_code == 403
    auth.logout()
    published, _ = submit(cast, title="已公开", published=True)
    auth.login(cast.outsider)
    assert client.get(f"/suggestions/{published.id}").status_code == 200
    assert client.post(f"/suggestions/{published.id}/answer",
                       data={"outcome": "solved", "text": "x"}).status_code == 403


def test_plus_one_counts_once(client, auth, cast):
    suggestion, _ = submit(cast, published=True)
    auth.login(cast.outsider)
    client.post(f"/suggestions/{suggestion.id}/plus")
    client.post(f"/suggestions/{suggestion.id}/plus")
    db.session.refresh(suggestion)
    assert suggestion.plus_count == 1
    assert services.following(cast.outsider, suggestion)


def test_the_demo_company_has_suggestions_to_look_at(app, categories):
    from portal import demo

    demo.load()
    items = db.session.scalars(select(Suggestion)).all()
    assert {s.channel for s in items} == {"online", "paper"}
    assert any(s.anonymous and s.submitter_id is None and s.published_at for s in items)
    assert db.session.scalar(select(Task).where(Task.source_kind == "suggestion")) is not None


def test_the_sweep_arguments_open_real_pages(client, auth, make_user, make_department):
    from portal.blueprints.suggestions import MODULE

    arguments = MODULE.url_arguments(make_user, make_department)
    auth.login(make_user("employee", "office"))
    assert client.get(f"/suggestions/{arguments['suggestion_id']}").status_code == 200
    assert client.get(f"/suggestions/photos/{arguments['suggestion_id']}").status_code == 200
    assert client.get(f"/suggestions/digests/{arguments['document_id']}").status_code == 200


def test_the_office_panel_holds_plain_values(app, cast):
    submit(cast)
    assert panel_values(app, cast.office, "suggestions/_panel_office.html") == {
        "open_count": 1, "late": 0}
