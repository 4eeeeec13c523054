"""The weekly reminder job (each reminder once), the Monday digest PDF, the paper slip and its
receipt, figures that hide small departments, similar titles, concurrent +1s."""

import re
import subprocess
import threading
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from portal.blueprints.documents.models import Document
from portal.blueprints.notifications.models import Notification
from portal.blueprints.suggestions import answers, queries, services
from portal.blueprints.suggestions.jobs import make_weekly_digest, remind_unanswered
from portal.blueprints.suggestions.models import Suggestion, SuggestionSupport
from portal.extensions import db
from portal.timeutil import local_today
from tests.suggestions.conftest import submit


def _count(user) -> int:
    return db.session.scalar(select(func.count()).select_from(Notification)
                             .where(Notification.user_id == user.id))


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_reminders_go_to_the_holder_then_the_office_each_once(app, cast):
    routed, _ = submit(cast, title="一周没人答")
    loose, _ = submit(cast, title="没分派")
    answers.route(routed, cast.office, cast.department)
    db.session.commit()
    head_before, office_before = _count(cast.head), _count(cast.office)
    assert remind_unanswered() == (0, 0, 0)  # not a week old yet
    with time_machine.travel(local_today() + timedelta(days=8, hours=2)):
        assert remind_unanswered() == (1, 1, 0)  # routed: its head; not routed: the office
        assert remind_unanswered() == (0, 0, 0)  # run again: nothing more
        assert _count(cast.head) == head_before + 1
    with time_machine.travel(local_today() + timedelta(days=11, hours=2)):
        assert remind_unanswered() == (0, 1, 0)  # the head did not answer: now the office
        assert remind_unanswered() == (0, 0, 0)
    assert _count(cast.office) == office_before + 2


def test_submitter_replies_are_told_to_the_holder_the_next_day_once(app, cast):
    suggestion, _code = submit(cast, anonymous=True)
    answers.route(suggestion, cast.office, cast.department)
    services.reply_as_submitter(suggestion, "补充：晚上也很挤")
    db.session.commit()
    before = _count(cast.head)
    assert answers.tell_replies(local_today()) == 0  # not the same day
    tomorrow = local_today() + timedelta(days=1)
    assert answers.tell_replies(tomorrow) == 1
    assert answers.tell_replies(tomorrow) == 0
    db.session.commit()
    assert _count(cast.head) == before + 1
    services.reply_as_submitter(suggestion, "再补充一点")  # a later reply: told again, once
    db.session.commit()
    with time_machine.travel(tomorrow):
        services.reply_as_submitter(suggestion, "还有一点")
        db.session.commit()
    assert answers.tell_replies(tomorrow + timedelta(days=1)) == 1
    assert answers.tell_replies(tomorrow + timedelta(days=1)) == 0


def test_an_overdue_item_stands_out_in_the_inbox(client, auth, cast):
    with time_machine.travel(local_today() - timedelta(days=9)):
        submit(cast, title="早就提了")
    auth.login(cast.office)
    monday = local_today() - timedelta(days=9)
    html = client.get(f"/suggestions/inbox?week={monday.isoformat()}").get_data(as_text=True)
    assert "早就提了" in html and 'class="overdue"' in html


def test_the_monday_digest_has_chinese_categories_and_paper_codes(app, cast, run_jobs,
                                                                  tmp_path):
    last_monday = local_today() - timedelta(days=local_today().weekday() + 7)
    with time_machine.travel(last_monday + timedelta(days=1, hours=3)):
        slip, code = services.enter_paper(cast.office, 2, "班车座位不够", "早班车站满了")
        submit(cast, title="食堂排队太久")
        routed, _ = submit(cast, title="空调太冷")
        answers.route(routed, cast.office, cast.department)
        answers.answer(routed, cast.head, "solved", "已调高到26度")
        answers.answer(slip, cast.office, "declined", "班车由园区统一安排")
        answers.publish([routed, slip], cast.office)
        db.session.commit()
    assert make_weekly_digest() == "started"
    assert make_weekly_digest() == "already made"
    run_jobs()
    document = db.session.scalar(select(Document).where(Document.kind == "suggestions_digest"))
    assert document.status == "done", document.error
    text = _text(document.content, tmp_path)
    assert "班车" in text and "食堂" in text
    assert code[:4] in text and code not in text  # the hint only: the code opens the answer
    assert "班车座位不够" in text
    assert "已调高到26度" in text and "班车由园区统一安排" in text and "后勤保障部" in text


def test_office_downloads_the_digest_and_others_cannot(client, auth, cast, run_jobs):
    auth.login(cast.office)
    client.post("/suggestions/digests", data={"week": local_today().isoformat()})
    run_jobs()
    document = db.session.scalar(select(Document).where(Document.kind == "suggestions_digest"))
    page = client.get("/suggestions/digests").get_data(as_text=True)
    assert f"/suggestions/digests/{document.id}" in page
    response = client.get(f"/suggestions/digests/{document.id}")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    auth.logout()
    auth.login(cast.employee)
    assert client.get(f"/suggestions/digests/{document.id}").status_code == 403


def test_a_paper_slip_gets_a_code_and_a_receipt_that_prints_it(client, auth, cast, tmp_path):
    auth.login(cast.office)
    response = client.post("/suggestions/paper", data={
        "category_id": "3", "title": "厂区路灯坏了", "text": "东门到三号楼的路灯不亮"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    code = re.search(r'id="follow-up-code"><strong>([0-9A-Z-]+)<', html).group(1)
    slip = db.session.scalar(select(Suggestion))
    assert slip.channel == "paper" and slip.submitter_id is None
    receipt = client.post(f"/suggestions/paper/{slip.id}/receipt.pdf", data={"code": code})
    assert receipt.status_code == 200
    text = _text(receipt.data, tmp_path)
    assert code in text and "环境" in text
    wrong = client.post(f"/suggestions/paper/{slip.id}/receipt.pdf",
                        data={"code": "0000-0000-0000-0000"})
    assert wrong.status_code == 404
    auth.logout()
    opened = client.post("/suggestions/code", data={"code": code})
    assert "厂区路灯坏了" in opened.get_data(as_text=True)


def test_figures_hide_departments_with_fewer_than_five_submitters(client, auth, cast,
                                                                  make_user, make_department):
    big, small = make_department("大部门"), make_department("小部门")
    for n in range(5):
        submit(cast, title=f"大{n}", user=make_user("employee", department=big))
    for n in range(2):
        submit(cast, title=f"小{n}", user=make_user("employee", department=small))
    shown, hidden_people, hidden_items = queries.by_department(
        local_today() - timedelta(days=1), local_today())
    assert [name for name, _, _ in shown] == ["大部门"]
    auth.login(cast.office)
    html = client.get("/suggestions/figures").get_data(as_text=True)
    assert "<td>大部门</td>" in html and "<td>小部门</td>" not in html


def test_typing_a_title_shows_similar_board_items(client, auth, cast):
    submit(cast, title="班车太挤了", published=True)
    submit(cast, title="食堂太咸", published=True)
    auth.login(cast.outsider)
    response = client.get("/suggestions/similar?title=早上班车好挤", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert "班车太挤了" in html and "食堂太咸" not in html
    assert "/plus" in html


def test_concurrent_plus_ones_count_each_person_once(app, cast, make_user):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL (SQLite serialises writers)")
    suggestion, _ = submit(cast, published=True)
    people = [make_user("employee") for _ in range(4)]
    barrier = threading.Barrier(8)
    errors = []

    def plus(user_id):
        with app.app_context():
            try:
                barrier.wait(10)
                services.support(db.session.get(type(cast.employee), user_id),
                                 db.session.get(Suggestion, suggestion.id))
                db.session.commit()
            except Exception as error:  # noqa: BLE001  reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=plus, args=(p.id,)) for p in people + people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    db.session.expire_all()
    assert errors == []
    rows = db.session.scalar(select(func.count()).select_from(SuggestionSupport))
    assert rows == 4
    assert db.session.get(Suggestion, suggestion.id).plus_count == 4
