"""Tasks 督办 through the test client: assigning, the whole life, who may see and do what."""

import io
from datetime import timedelta

from openpyxl import load_workbook
from sqlalchemy import func, select

from portal.blueprints.notifications.models import Notification
from portal.blueprints.tasks import alerts
from portal.blueprints.tasks.models import ACCEPTED, RETURNED, SUBMITTED, Task
from portal.extensions import db
from portal.timeutil import utcnow
from tests.panel_values import panel_values
from tests.tasks.conftest import local_input, make_task


def _notes(user) -> list[str]:
    return list(db.session.scalars(select(Notification.title)
                                   .where(Notification.user_id == user.id)
                                   .order_by(Notification.id)))


def test_employee_assigns_a_task_and_the_owner_is_told_and_sees_it_at_home(client, auth, cast):
    auth.login(cast.assigner)
    due = utcnow() + timedelta(days=2)
    response = client.post("/tasks/new", data={
        "title": "准备季度安全检查材料", "details": "按去年的格式",
        "acceptance": "材料齐全，经办公室确认",
        "owner_kind": "person", "owner_no": cast.owner.employee_no, "due_at": local_input(due)})
    assert response.status_code == 303
    task = db.session.scalar(select(Task))
    assert task.owner_id == cast.owner.id and task.assigner_id == cast.assigner.id
    assert _notes(cast.owner) == [f"有新任务交给您：{task.number} 准备季度安全检查材料"]
    auth.logout()
    auth.login(cast.owner)
    home = client.get("/").get_data(as_text=True)
    assert "我的任务" in home and "准备季度安全检查材料" in home and "1 项未完成任务" in home


def test_a_task_without_acceptance_criteria_is_refused_and_nothing_typed_is_lost(client, auth,
                                                                                 cast):
    auth.login(cast.assigner)
    response = client.post("/tasks/new", data={
        "title": "准备季度安全检查材料", "acceptance": "", "owner_kind": "person",
        "owner_no": "NOPE99", "due_at": local_input(utcnow() + timedelta(days=1))})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "请写明如何验收结果。" in html and "没有使用此工号的在职员工。" in html
    assert 'value="准备季度安全检查材料"' in html and 'value="NOPE99"' in html
    assert db.session.scalar(select(func.count()).select_from(Task)) == 0


def test_a_due_time_in_the_past_is_refused_beside_the_field(client, auth, cast):
    auth.login(cast.assigner)
    response = client.post("/tasks/new", data={
        "title": "补交报告", "acceptance": "交到办公室", "owner_kind": "person",
        "owner_no": cast.owner.employee_no, "due_at": local_input(utcnow() - timedelta(hours=1))})
    assert response.status_code == 422
    assert "截止时间已经过去。" in response.get_data(as_text=True)


def test_the_whole_life_start_report_submit_return_resubmit_accept(client, auth, cast):
    task = make_task(cast)
    auth.login(cast.owner)
    assert client.post(f"/tasks/{task.id}/start").status_code == 303
    client.post(f"/tasks/{task.id}/progress", data={"progress-note": "已完成初稿"})
    client.post(f"/tasks/{task.id}/submit", data={"submit-note": "纪要已发部门群"})
    db.session.refresh(task)
    assert task.status == SUBMITTED and task.result == "纪要已发部门群"
    auth.logout()

    auth.login(cast.assigner)
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "验收通过" in page and "退回" in page
    response = client.post(f"/tasks/{task.id}/return", data={"return-note": ""})
    assert response.status_code == 422  # a return needs a reason, said beside the field
    client.post(f"/tasks/{task.id}/return", data={"return-note": "缺少参会人签字"})
    db.session.refresh(task)
    assert task.status == RETURNED
    auth.logout()

    auth.login(cast.owner)
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "缺少参会人签字" in page and "已退回" in page
    client.post(f"/tasks/{task.id}/submit", data={"submit-note": "已补签字"})
    auth.logout()
    auth.login(cast.assigner)
    client.post(f"/tasks/{task.id}/accept")
    db.session.refresh(task)
    assert task.status == ACCEPTED and task.closed_at is not None
    actions = [e.action for e in task.events]
    assert actions == ["created", "started", "progress", "submitted", "returned", "submitted",
                       "accepted"]
    assert _notes(cast.owner)[-1] == f"任务 {task.number} 已验收通过"


def test_only_the_assigner_or_the_office_accepts(client, auth, cast):
    task = make_task(cast)
    auth.login(cast.owner)
    client.post(f"/tasks/{task.id}/submit", data={"submit-note": "完成"})
    assert client.post(f"/tasks/{task.id}/accept").status_code == 403
    auth.logout()
    auth.login(cast.head)  # sees the task (need to know) but did not assign it
    assert client.get(f"/tasks/{task.id}").status_code == 200
    assert client.post(f"/tasks/{task.id}/accept").status_code == 403
    auth.logout()
    auth.login(cast.office)
    assert client.post(f"/tasks/{task.id}/accept").status_code == 303
    db.session.refresh(task)
    assert task.status == ACCEPTED


def test_the_assigner_cannot_do_the_owners_steps(client, auth, cast):
    task = make_task(cast)
    auth.login(cast.assigner)
    assert client.post(f"/tasks/{task.id}/submit", data={"submit-note": "x"}).status_code == 403
    assert client.post(f"/tasks/{task.id}/start").status_code == 403


def test_a_task_is_need_to_know_others_get_404(client, auth, cast, make_user):
    task = make_task(cast)
    for outsider in (cast.colleague, make_user("employee", "facilities")):
        auth.login(outsider)
        assert client.get(f"/tasks/{task.id}").status_code == 404
        assert client.post(f"/tasks/{task.id}/accept").status_code == 404
        assert task.title not in client.get("/tasks/").get_data(as_text=True)
        auth.logout()
    for insider in (cast.assigner, cast.owner, cast.head, cast.office):
        auth.login(insider)
        assert client.get(f"/tasks/{task.id}").status_code == 200
        auth.logout()
    assert client.get("/tasks/999999").status_code in (302, 404)


def test_a_department_task_waits_for_its_head_to_name_the_person(client, auth, cast,
                                                                  make_user):
    task = make_task(cast, department=cast.department)
    assert _notes(cast.head) == [f"有交给贵部门的任务 {task.number}：请指定负责人"]
    auth.login(cast.head)
    page = client.get("/tasks/").get_data(as_text=True)
    assert "本部门的任务" in page and "整理会议纪要" in page
    stranger = make_user("employee")
    response = client.post(f"/tasks/{task.id}/assign", data={"person_id": stranger.id})
    assert response.status_code == 422  # only the department's people are offered
    client.post(f"/tasks/{task.id}/assign", data={"person_id": cast.owner.id})
    db.session.refresh(task)
    assert task.owner_id == cast.owner.id
    assert _notes(cast.owner) == [f"有新任务交给您：{task.number} 整理会议纪要"]
    auth.logout()
    auth.login(cast.colleague)
    assert client.post(f"/tasks/{task.id}/assign",
                       data={"person_id": cast.colleague.id}).status_code == 404


def test_a_due_time_moves_only_with_a_reason_which_the_timeline_keeps(client, auth, cast):
    task = make_task(cast)
    old_due = task.due_at
    auth.login(cast.assigner)
    new_due = local_input(utcnow() + timedelta(days=5))
    response = client.post(f"/tasks/{task.id}/due", data={"due_at": new_due, "reason": ""})
    assert response.status_code == 422
    assert "请说明截止时间为什么调整。" in response.get_data(as_text=True)
    db.session.refresh(task)
    assert task.due_at == old_due
    client.post(f"/tasks/{task.id}/due", data={"due_at": new_due, "reason": "等待外部数据"})
    db.session.refresh(task)
    assert task.due_at > old_due
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "调整了截止时间" in page and "等待外部数据" in page
    auth.logout()
    auth.login(cast.owner)
    assert client.post(f"/tasks/{task.id}/due",
                       data={"due_at": new_due, "reason": "我想晚点"}).status_code == 403


def test_reminders_and_escalations_are_sent_once_and_again_for_a_moved_due_time(app, cast):
    task = make_task(cast, hours=10)
    now = utcnow()
    assert alerts.send_task_alerts(now) == (1, 0)
    assert alerts.send_task_alerts(now) == (0, 0)  # never the same reminder twice
    db.session.commit()
    assert _notes(cast.owner)[-1] == f"任务 {task.number} 即将到期：整理会议纪要"
    later = task.due_at + timedelta(minutes=1)
    assert alerts.send_task_alerts(later) == (0, 1)
    assert alerts.send_task_alerts(later) == (0, 0)
    db.session.commit()
    overdue = f"已超期：任务 {task.number}，整理会议纪要"
    assert _notes(cast.assigner) == [overdue] and _notes(cast.head) == [overdue]
    task.due_at = later + timedelta(hours=5)  # moved: a new due time is announced anew
    db.session.commit()
    assert alerts.send_task_alerts(later) == (1, 0)


def test_a_submitted_task_is_not_escalated_while_it_waits_for_acceptance(app, cast):
    task = make_task(cast, hours=1)
    task.status = SUBMITTED
    db.session.commit()
    assert alerts.send_task_alerts(task.due_at + timedelta(hours=1)) == (0, 0)


def test_the_assigner_asks_for_an_update_and_the_owner_is_told(client, auth, cast):
    task = make_task(cast)
    auth.login(cast.assigner)
    client.post(f"/tasks/{task.id}/request-update")
    assert _notes(cast.owner)[-1] == f"陈主任 询问任务 {task.number} 的进展"


def test_a_progress_report_replayed_by_the_outbox_is_recorded_once(client, auth, cast):
    task = make_task(cast)
    auth.login(cast.owner)
    headers = {"X-Outbox-Id": "7a1c1d2e-0000-4000-8000-0000000000aa"}
    for _ in range(3):
        client.post(f"/tasks/{task.id}/progress", data={"progress-note": "进行中"},
                    headers=headers)
    db.session.refresh(task)
    assert [e.action for e in task.events].count("progress") == 1


def test_the_office_sees_open_tasks_by_department_and_downloads_them(client, auth, cast,
                                                                     make_user):
    make_task(cast, hours=-1, title="已超期的任务")
    make_task(cast, hours=30, title="按期的任务")
    auth.login(cast.office)
    html = client.get("/tasks/office").get_data(as_text=True)
    row = html.split("研发部", 1)[1].split("</tr>", 1)[0]
    assert '<td class="num">2</td><td class="num">1</td>' in row
    sheet = load_workbook(io.BytesIO(client.get("/tasks/office.xlsx").data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("部门", "编号", "任务", "负责人")
    assert {r[2] for r in rows[1:]} == {"已超期的任务", "按期的任务"}
    auth.logout()
    auth.login(cast.assigner)
    assert client.get("/tasks/office").status_code == 403
    assert client.get("/tasks/office.xlsx").status_code == 403


def test_the_task_page_reads_in_english_for_an_english_owner(client, auth, cast, make_user):
    owner = make_user(name="Emma Lin", language="en", department=cast.department)
    task = make_task(cast, owner=owner)
    auth.login(owner)
    html = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "Acceptance criteria" in html and "Submit for acceptance" in html
    assert "验收标准" not in html


def test_a_step_from_a_stale_page_is_refused_with_a_message(client, auth, cast):
    task = make_task(cast)
    auth.login(cast.assigner)
    response = client.post(f"/tasks/{task.id}/accept", follow_redirects=True)
    assert "您现在不能进行这一步；页面已更新为最新状态。" in response.get_data(as_text=True)
    db.session.refresh(task)
    assert task.status == "open"


def test_the_home_panel_holds_plain_values(app, cast):
    late = make_task(cast, hours=-2, title="补交周报")
    soon = make_task(cast, hours=3)
    values = panel_values(app, cast.owner, "tasks/_panel_mine.html")
    assert [(row.id, row.overdue) for row in values["rows"]] == [(late.id, True),
                                                                   (soon.id, False)]
    assert (values["open"], values["waiting"]) == (2, 0)
