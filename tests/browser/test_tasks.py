"""Tasks on a phone with a patchy network: "my tasks" read offline once seen, and a progress
report (and a result with a photo) written offline, applied once when the phone is back online."""

from datetime import timedelta

from sqlalchemy import select

from portal.blueprints.tasks import services
from portal.blueprints.tasks.models import SUBMITTED, Task, TaskAttachment, TaskEvent
from portal.extensions import db
from portal.timeutil import utcnow
from tests.pwa.browser_helpers import go_offline, go_online, open_controlled, wait_js
from tests.repairs.conftest import image_bytes

TITLE = "整理季度安全检查材料"


def _task(make_user, make_department):
    department = make_department("研发部")
    owner = make_user("employee", name="王小明", department=department)
    assigner = make_user("employee", name="陈主任")
    task = services.create_task(assigner, TITLE, "材料齐全，经办公室确认",
                                utcnow() + timedelta(days=2), owner=owner)
    db.session.commit()
    return owner, task


def _actions(task_id: int) -> list[str]:
    db.session.rollback()  # see what the live server committed
    return list(db.session.scalars(select(TaskEvent.action).where(TaskEvent.task_id == task_id)
                                   .order_by(TaskEvent.id)))


def _sent(page):
    page.evaluate("window.zhongshuOutbox.flush()")
    wait_js(page, "window.zhongshuOutbox.count().then(n => n === 0)")


def test_my_tasks_read_offline_and_a_progress_report_sent_offline_is_applied_once(
        pages, make_user, make_department):
    owner, task = _task(make_user, make_department)
    page = open_controlled(pages, owner, "/tasks/")
    page.goto(f"/tasks/{task.id}")  # seen once: kept for offline reading
    page.wait_for_load_state()
    page.goto("/tasks/")
    page.wait_for_load_state()

    go_offline(pages)
    page.reload()
    page.locator("#cached-banner").wait_for(state="visible")
    assert TITLE in page.locator("main").inner_text()
    page.get_by_role("link", name=TITLE).click()
    page.locator("#cached-banner").wait_for(state="visible")
    assert "材料齐全，经办公室确认" in page.locator("main").inner_text()

    page.fill("#progress-note", "已收集 3 个部门的材料")
    page.click(f"form[action$='/tasks/{task.id}/progress'] button")
    page.locator('#outbox-status [data-state="waiting"]').wait_for()
    assert _actions(task.id) == ["created"]

    go_online(pages)
    _sent(page)
    page.evaluate("window.zhongshuOutbox.flush()")  # a second flush sends nothing again
    assert _actions(task.id) == ["created", "progress"]
    page.goto(f"/tasks/{task.id}")
    assert "已收集 3 个部门的材料" in page.locator(".timeline").inner_text()


def test_a_result_with_a_photo_submitted_offline_arrives_once_with_its_photo(
        pages, make_user, make_department):
    owner, task = _task(make_user, make_department)
    page = open_controlled(pages, owner, f"/tasks/{task.id}")

    go_offline(pages)
    page.reload()
    page.locator("#cached-banner").wait_for(state="visible")
    page.fill("#submit-note", "材料已交办公室，签收单见照片")
    page.set_input_files("#submit-files", files=[{
        "name": "签收单.jpg", "mimeType": "image/jpeg", "buffer": image_bytes(size=(800, 600))}])
    page.click(f"form[action$='/tasks/{task.id}/submit'] button")
    page.locator('#outbox-status [data-state="waiting"]').wait_for()

    go_online(pages)
    _sent(page)
    db.session.rollback()
    assert db.session.get(Task, task.id).status == SUBMITTED
    [photo] = db.session.scalars(select(TaskAttachment)).all()
    assert photo.kind == "photo" and photo.filename == "签收单.jpg"
    page.goto(f"/tasks/{task.id}")
    assert page.locator(f"img[src$='/tasks/attachments/{photo.id}']").count() == 1
