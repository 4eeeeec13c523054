"""People for the suggestion tests: an employee with a number and a name, a department head,
the office, and helpers to submit and answer."""

import io
from dataclasses import dataclass

import pytest
from PIL import Image

from portal.blueprints.suggestions import answers, services
from portal.blueprints.suggestions.models import SuggestionCategory
from portal.extensions import db


@dataclass
class Cast:
    employee: object
    head: object
    office: object
    outsider: object
    department: object


CATEGORIES = [("食堂", "Canteen"), ("班车", "Shuttle bus"), ("环境", "Environment"),
              ("设施", "Facilities"), ("IT", "IT"), ("其他", "Other")]


@pytest.fixture
def categories(app):
    """The migration's six categories (each test starts from empty tables)."""
    for n, (zh, en) in enumerate(CATEGORIES):
        db.session.add(SuggestionCategory(id=n + 1, name_zh=zh, name_en=en, position=n,
                                          active=True))
    db.session.commit()


@pytest.fixture
def cast(app, categories, make_user, make_department):
    department = make_department("后勤保障部")
    head = make_user("employee", "dept_head", name="周志强", department=department)
    department.head = head
    # A distinctive id, so that finding it in any column means something.
    employee = make_user("employee", name="王小明", employee_no="E7788", id=770001,
                         department=make_department("生产部"))
    office = make_user("employee", "office", name="陈立新")
    outsider = make_user("employee", name="李四")
    db.session.commit()
    return Cast(employee, head, office, outsider, department)


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "SecretPhoneMaker"  # Make
    exif[0x013B] = "王小明"  # Artist
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def submit(cast, title="食堂晚餐太早结束", anonymous=False, published=False, user=None):
    """An item straight through the service (for tests about what comes after)."""
    suggestion, code = services.submit(user or cast.employee, 1, title, "希望晚餐延长到19点。",
                                       anonymous=anonymous)
    if published:
        answers.answer(suggestion, cast.office, "solved", "已调整晚餐时间到19:00。")
        answers.publish([suggestion], cast.office)
    db.session.commit()
    return suggestion, code
