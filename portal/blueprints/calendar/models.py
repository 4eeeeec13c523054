"""One row per day that differs from an ordinary week (Monday to Friday worked)."""

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, CheckConstraint, Date, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db

HOLIDAY, MAKE_UP, DAY_OFF, CLOSURE = "holiday", "make_up", "day_off", "closure"
KINDS = {
    HOLIDAY: _l("Public holiday"),
    MAKE_UP: _l("Make-up working day"),
    DAY_OFF: _l("Company day off"),
    CLOSURE: _l("Site closed"),
}
WORKED = {MAKE_UP}


class CompanyDay(db.Model):
    """A day off (holiday, company day off, site closed) or a weekend day worked (make-up).

    official: filled from China's schedule (name is the schedule's English key, translated when
    shown); otherwise the office entered or overrode it (name as the office typed it).
    """

    __tablename__ = "company_days"
    __table_args__ = (CheckConstraint(f"kind IN {tuple(KINDS)}", name="kind"),)

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(60), default="")
    official: Mapped[bool] = mapped_column(Boolean, default=False)

    @property
    def working(self) -> bool:
        return self.kind in WORKED
