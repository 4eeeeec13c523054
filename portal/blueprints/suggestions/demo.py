"""Demo suggestions: named, anonymous and paper; answered, planned, waiting, one published."""

from datetime import timedelta

from sqlalchemy import select

from portal.blueprints.accounts.models import Department, User
from portal.blueprints.suggestions import answers, services
from portal.blueprints.suggestions.models import AnswerTemplate, SuggestionCategory
from portal.extensions import db
from portal.timeutil import local_today


def load_demo() -> None:
    office = User.by_employee_no("A0001")
    worker = User.by_employee_no("E1001")
    facilities = User.by_employee_no("F1001")
    if None in (office, worker, facilities) or not db.session.scalar(select(SuggestionCategory)):
        return
    named, _ = services.submit(worker, 1, "晚餐供应时间太早结束",
                               "车间18:30下班，食堂18:30就收了，希望延长到19:00。",
                               anonymous=False)
    answers.answer(named, office, "solved", "从下周一起晚餐供应延长到19:00。")
    anonymous, _ = services.submit(worker, 2, "早班车太挤",
                                   "7:00的班车经常站满，希望加一辆。", anonymous=True)
    logistics = facilities.department or db.session.scalar(select(Department))
    if logistics is not None:
        answers.route(anonymous, office, logistics)
    answers.answer(anonymous, office, "planned", "需要和班车公司重新签约。",
                   plan="下月起早班加开一辆车", owner=facilities,
                   target=local_today() + timedelta(days=30))
    answers.publish([named, anonymous], office)
    services.enter_paper(office, 3, "厂区东门路灯不亮", "东门到三号楼的路灯坏了好几天。")
    services.submit(worker, 5, "会议室投影仪经常连不上", "三楼会议室的投影仪需要换线。",
                    anonymous=False)
    db.session.add(AnswerTemplate(outcome="declined", name="不在公司职责内",
                                  body="感谢建议。此事不在公司管理范围内，已转告相关单位。"))
    db.session.commit()


def url_arguments(make_user, make_department) -> dict:
    """A real item (published, with a photo) and a finished digest, for the URL sweeps."""
    from portal.blueprints.documents.models import Document

    if not db.session.scalar(select(SuggestionCategory)):
        db.session.add(SuggestionCategory(name_zh="其他", name_en="Other", position=0,
                                          active=True))
        db.session.flush()
    category = db.session.scalar(select(SuggestionCategory))
    office = make_user("employee", "office", department=make_department())
    suggestion, _ = services.submit(office, category.id, "样例建议", "用于检查每个页面。",
                                    anonymous=True, photo=(b"\xff\xd8\xff\xd9", 1, 1))
    answers.answer(suggestion, office, "solved", "已处理")
    answers.publish([suggestion], office)
    digest = Document(kind="suggestions_digest", owner_id=office.id, status="done",
                      params={"monday": local_today().isoformat()}, filename="digest.pdf",
                      mimetype="application/pdf", content=b"%PDF-1.4")
    db.session.add(digest)
    db.session.commit()
    return {"suggestion_id": suggestion.id, "document_id": digest.id}
