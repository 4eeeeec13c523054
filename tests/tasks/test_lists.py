"""My tasks: each list in its own order, read in one statement, and the department's section
shown to its head only (even when it is empty)."""

from datetime import timedelta

from portal.blueprints.tasks import services
from portal.extensions import db
from portal.timeutil import utcnow
from tests.tasks.conftest import make_task


def _section(page: str, section_id: str) -> str:
    return page.split(f'id="{section_id}"', 1)[1].split("</section>", 1)[0]


def _in_order(text: str, *titles: str) -> bool:
    places = [text.index(title) for title in titles]
    return places == sorted(places)


def test_each_list_keeps_its_own_order(client, auth, cast):
    make_task(cast, hours=72, title="三天后")
    make_task(cast, hours=-5, title="已超期")
    make_task(cast, hours=24, title="明天")
    first, second = make_task(cast, title="先验收"), make_task(cast, title="后验收")
    for task in (first, second):
        services.submit(task, cast.owner, "已完成")
        services.accept(task, cast.assigner)
    first.closed_at = utcnow() - timedelta(days=2)
    db.session.commit()
    auth.login(cast.owner)
    page = client.get("/tasks/").get_data(as_text=True)
    assert _in_order(_section(page, "to-me"), "已超期", "明天", "三天后")
    assert _in_order(_section(page, "closed"), "后验收", "先验收")  # latest first
    assert "先验收" not in _section(page, "to-me")
    assert 'id="dept"' not in page  # heads no department


def test_the_head_sees_the_department_section_even_empty(client, auth, cast, make_user):
    auth.login(cast.head)
    page = client.get("/tasks/").get_data(as_text=True)
    assert "本部门没有未完成任务。" in _section(page, "dept")
    make_task(cast, department=cast.department, hours=48, title="交给部门")
    make_task(cast, hours=24, title="交给部门的人")
    make_task(cast, owner=make_user("employee", name="外人"), title="别的部门")
    department = _section(client.get("/tasks/").get_data(as_text=True), "dept")
    assert _in_order(department, "交给部门的人", "交给部门")
    assert "别的部门" not in department


def test_the_page_is_each_person_s_own_and_shows_every_change_at_once(client, auth, cast,
                                                                    make_user, time_machine):
    """The page's content is kept per its rows: whose lists they are, and each card's status
    and whether it is overdue, read afresh on every request."""
    time_machine.move_to(utcnow(), tick=False)
    task = make_task(cast, hours=1, title="今晚截止")
    auth.login(cast.owner)
    mine = _section(client.get("/tasks/").get_data(as_text=True), "to-me")
    assert "今晚截止" in mine and "status-open" in mine and "overdue" not in mine
    auth.logout()

    auth.login(make_user("employee", name="旁人"))
    assert "今晚截止" not in client.get("/tasks/").get_data(as_text=True)
    auth.logout()

    auth.login(cast.owner)
    time_machine.shift(timedelta(hours=2))
    mine = _section(client.get("/tasks/").get_data(as_text=True), "to-me")
    assert 'class="card overdue"' in mine
    services.submit(task, cast.owner, "已完成")
    db.session.commit()
    mine = _section(client.get("/tasks/").get_data(as_text=True), "to-me")
    assert "status-submitted" in mine and "status-open" not in mine
