"""Demo tasks: one in every state (cancelled too), some overdue, between the demo company's
people."""

from datetime import timedelta

from portal.blueprints.accounts.models import Department, User
from portal.blueprints.tasks import services
from portal.extensions import db
from portal.timeutil import utcnow


def load_demo() -> None:
    office = User.by_employee_no("A0001")
    head = User.by_employee_no("H1001")
    worker = User.by_employee_no("E1001")
    emma = User.by_employee_no("E2001")
    if None in (office, head, worker, emma):
        return
    now = utcnow()

    def task(title, owner=None, department=None, days=3, by=office):
        return services.create_task(by, title, "结果经交办人确认", now + timedelta(days=days),
                                    owner=owner, department=department,
                                    details="请按办公室通知要求办理。")

    task("报送本月安全生产检查表", owner=worker, days=2)
    started = task("整理部门联络员会议纪要", owner=worker, days=1)
    services.start(started, worker)
    services.report_progress(started, worker, "初稿已完成，待核对参会名单")
    done = task("更新部门通讯录", owner=worker, days=4)
    services.submit(done, worker, "通讯录已更新并发到部门群")
    returned = task("提交年度培训计划", owner=head, days=5)
    services.submit(returned, head, "见附件计划")
    services.return_task(returned, office, "缺少培训预算")
    accepted = task("检查会议室投影设备", owner=head, days=1)
    services.submit(accepted, head, "设备正常")
    services.accept(accepted, office)
    task("Prepare the visitor badge list", owner=emma, days=2, by=head)
    dropped = task("预订年会场地", owner=worker, days=10)
    services.cancel(dropped, office, "年会改为线上举行，不再需要场地")
    production = db.session.scalar(db.select(Department).where(Department.name == "生产部"))
    if production is not None:
        task("安排下周消防演练人员", department=production, days=6)
    late = task("报送上季度考勤汇总", owner=worker, days=3)
    db.session.flush()
    late.due_at = now - timedelta(days=1)  # overdue: shows on the office's overview in red
    db.session.commit()
