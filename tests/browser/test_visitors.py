"""The front desk on a tablet: check in a whole group, a walk-in in one step, check-out."""

from datetime import timedelta

from sqlalchemy import select

from portal.blueprints.visitors import services
from portal.blueprints.visitors.models import Visit
from portal.extensions import db
from portal.timeutil import utcnow

TABLET = {"width": 1024, "height": 768}


def _visits() -> dict[str, Visit]:
    db.session.rollback()  # see what the server committed
    return {v.purpose: v for v in db.session.scalars(select(Visit))}


def test_front_desk_group_check_in_walk_in_and_check_out_on_a_tablet(app, pages, make_user):
    host = make_user("employee", name="陈经理")
    reception = make_user("employee", "reception", name="前台小王")
    arrives = utcnow() + timedelta(minutes=30)
    services.register(host, services.Plan(
        purpose="产品交流", arrives_at=arrives, departs_at=arrives + timedelta(hours=4),
        reception=reception, guests=[services.Guest("张伟", "华星科技", "13812345678"),
                                     services.Guest("刘芳", "华星科技", "13987654321")]))
    db.session.commit()

    page = pages.new_page()
    page.set_viewport_size(TABLET)
    pages.login(page, reception, next_path="/visitors/desk")
    card = page.locator("article.card", has_text="产品交流")
    assert "13812345678" in card.inner_text()  # reception sees the number to call
    card.locator("[data-check-in]").click()  # nothing ticked: the whole group
    page.wait_for_load_state("networkidle")
    assert "已签到 2 人" in page.locator(".flash").inner_text()
    visit = _visits()["产品交流"]
    assert visit.status == "on_site" and all(v.checked_in_at for v in visit.visitors)

    page.fill("#name", "赵强")
    page.fill("#company", "顺达物流")
    page.fill("#host_no", host.employee_no)
    page.fill("#purpose", "送样品")
    page.get_by_role("button", name="登记并签到").click()
    page.wait_for_load_state("networkidle")
    walk_in = _visits()["送样品"]
    assert walk_in.walk_in and walk_in.visitors[0].checked_in_at is not None
    assert page.locator("article.card", has_text="送样品").count() == 1

    page.locator("article.card", has_text="产品交流").locator("[data-check-out]").click()
    page.wait_for_load_state("networkidle")
    visit = _visits()["产品交流"]
    assert visit.status == "done" and all(v.checked_out_at for v in visit.visitors)
    assert page.locator("article.card", has_text="产品交流").locator(
        "[data-status=done]").count() == 1
