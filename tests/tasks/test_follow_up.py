"""Following tasks up as the people who do it: the head of a department, the assigner waiting
to accept, the office looking for what is late, and reminders that reach the right person once."""

import io
from datetime import timedelta

from openpyxl import load_workbook
from sqlalchemy import select

from portal.blueprints.notifications.models import Notification
from portal.blueprints.tasks import alerts, services
from portal.extensions import db
from portal.timeutil import utcnow
from tests.tasks.conftest import make_task


def _notes(user) -> list[tuple[str, str]]:
    return [tuple(row) for row in db.session.execute(
        select(Notification.title, Notification.link).where(Notification.user_id == user.id)
        .order_by(Notification.id))]


def test_a_department_task_nobody_is_named_for_reminds_the_head_once(app, cast):
    task = make_task(cast, department=cast.department, hours=10)
    assert alerts.send_task_alerts(utcnow()) == (1, 0)
    assert alerts.send_task_alerts(utcnow()) == (0, 0)
    db.session.commit()
    assert _notes(cast.head)[-1][0] == f"任务 {task.number} 即将到期，贵部门尚未指定负责人"


def test_a_head_who_owns_a_late_task_is_told_once_not_twice(app, cast):
    task = make_task(cast, owner=cast.head, hours=1)
    before = len(_notes(cast.head))
    assert alerts.send_task_alerts(task.due_at + timedelta(minutes=5)) == (0, 1)
    db.session.commit()
    assert [t for t, _ in _notes(cast.head)[before:]] == [
        f"任务 {task.number} 已超期：整理会议纪要"]
    assert _notes(cast.assigner)[-1][0] == f"已超期：任务 {task.number}，整理会议纪要"


def test_the_head_gives_the_task_to_someone_else_and_the_first_owner_is_told(client, auth,
                                                                             cast):
    task = make_task(cast, department=cast.department)
    auth.login(cast.head)
    client.post(f"/tasks/{task.id}/assign", data={"person_id": cast.owner.id})
    client.post(f"/tasks/{task.id}/assign", data={"person_id": cast.colleague.id})
    db.session.refresh(task)
    assert task.owner_id == cast.colleague.id
    assert _notes(cast.owner)[-1] == (f"任务 {task.number} 已改由 张三 负责：整理会议纪要", "")
    assert [e.action for e in task.events] == ["created", "assigned", "assigned"]
    auth.logout()
    auth.login(cast.owner)  # no longer theirs: need to know
    assert client.get(f"/tasks/{task.id}").status_code == 404


def test_the_assigner_sees_at_home_and_first_in_the_list_what_waits_for_acceptance(
        client, auth, cast):
    later = make_task(cast, hours=200, title="年度总结")
    make_task(cast, hours=20, title="季度报表")
    services.submit(later, cast.owner, "已交")
    db.session.commit()
    auth.login(cast.assigner)
    home = client.get("/").get_data(as_text=True)
    assert "1 项任务等您验收" in home
    page = client.get("/tasks/").get_data(as_text=True)
    by_me = page.split('id="by-me"', 1)[1]
    assert by_me.index("年度总结") < by_me.index("季度报表")


def test_the_office_opens_a_department_and_downloads_the_counts(client, auth, cast, make_user):
    make_task(cast, hours=-2, title="已超期的任务")
    loner = make_user("employee", name="赵六")  # in no department
    make_task(cast, owner=loner, title="无部门的任务")
    auth.login(cast.office)
    page = client.get("/tasks/office").get_data(as_text=True)
    assert f'href="/tasks/office?department={cast.department.id}#listed"' in page
    listed = client.get(f"/tasks/office?department={cast.department.id}").get_data(as_text=True)
    section = listed.split('id="listed"', 1)[1]
    assert "研发部" in section and "已超期的任务" in section and "无部门的任务" not in section
    nobody = client.get("/tasks/office?department=0").get_data(as_text=True)
    assert "无部门的任务" in nobody.split('id="listed"', 1)[1]
    sheet = load_workbook(io.BytesIO(client.get("/tasks/office/departments.xlsx").data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("部门", "未完成", "已超期")
    assert ("研发部", 1, 1) in rows and ("—", 1, 0) in rows
    auth.logout()
    auth.login(cast.head)
    assert client.get("/tasks/office/departments.xlsx").status_code == 403


def test_the_head_asks_for_an_update_but_not_again_until_the_owner_answers_or_a_day_passes(
        client, auth, cast):
    task = make_task(cast)
    auth.login(cast.head)
    assert "催问进展" in client.get(f"/tasks/{task.id}").get_data(as_text=True)
    client.post(f"/tasks/{task.id}/request-update")
    again = client.post(f"/tasks/{task.id}/request-update", follow_redirects=True)
    assert "尚未答复" in again.get_data(as_text=True)
    asked = [t for t, _ in _notes(cast.owner) if "询问任务" in t]
    assert asked == [f"李建华 询问任务 {task.number} 的进展"]
    services.report_progress(task, cast.owner, "已完成一半")
    db.session.commit()
    client.post(f"/tasks/{task.id}/request-update")
    assert len([t for t, _ in _notes(cast.owner) if "询问任务" in t]) == 2
    auth.logout()
    auth.login(cast.colleague)  # neither assigner, office nor head
    assert client.post(f"/tasks/{task.id}/request-update").status_code == 404


def test_accepted_and_cancelled_tasks_stay_in_my_tasks_for_a_month(client, auth, cast):
    done = make_task(cast, title="更新部门通讯录")
    services.submit(done, cast.owner, "已更新")
    services.accept(done, cast.assigner)
    dropped = make_task(cast, title="预订年会场地")
    services.cancel(dropped, cast.assigner, "改为线上")
    old = make_task(cast, title="去年的任务")
    services.submit(old, cast.owner, "已完成")
    services.accept(old, cast.assigner)
    old.closed_at = utcnow() - timedelta(days=31)
    db.session.commit()
    for person in (cast.owner, cast.assigner):
        auth.login(person)
        page = client.get("/tasks/").get_data(as_text=True)
        closed = page.split('id="closed"', 1)[1]
        assert "更新部门通讯录" in closed and "已验收" in closed
        assert "预订年会场地" in closed and "已取消" in closed
        assert "去年的任务" not in page
        auth.logout()
