"""The office sees who is being slowed down at sign-in, and lifts a lock for the owner."""

from flask import flash, render_template, url_for
from flask_babel import gettext as _

from portal.blueprints.accounts import throttle
from portal.blueprints.accounts.models import LoginThrottle
from portal.blueprints.admin.routes import bp
from portal.blueprints.audit.services import record
from portal.extensions import db
from portal.htmx import see_other
from portal.security import role_required


@bp.get("/sign-in-locks")
@role_required("office")
def sign_in_locks():
    """Current sign-in locks and failure counts, per account and device or per device."""
    return render_template("admin/sign_in_locks.html", rows=throttle.current(),
                           is_locked=throttle.is_locked)


@bp.post("/sign-in-locks/<int:throttle_id>/lift")
@role_required("office")
def lift_sign_in_lock(throttle_id: int):
    """Forget the failures of one counter, so that account (or device) may try again now."""
    row = db.get_or_404(LoginThrottle, throttle_id)
    record("login.unlock", f"account:{row.employee_no}" if row.employee_no else "client",
           employee_no=row.employee_no, client=row.client, failures=row.failures)
    db.session.delete(row)
    db.session.commit()
    flash(_("The lock is lifted."), "success")
    return see_other(url_for("admin.sign_in_locks"))
