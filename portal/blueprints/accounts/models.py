"""People and departments: who someone is and which roles they hold."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, UniqueConstraint, select, update
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.timeutil import UTCDateTime, utcnow

ROLES = {
    "employee": _l("Employee"),
    "dept_head": _l("Department head"),
    "reception": _l("Reception"),
    "canteen": _l("Canteen"),
    "facilities": _l("Facilities"),
    "office": _l("Office"),
}
LANGUAGES = {"zh_CN": "中文", "en": "English"}
# Each language named in itself, marked with its own lang for screen readers.
LANGUAGE_CHOICES = [("zh_CN", "中文", {"lang": "zh-CN"}), ("en", "English", {"lang": "en"})]


class Department(db.Model):
    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    head_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", use_alter=True, ondelete="SET NULL")
    )
    head: Mapped["User | None"] = relationship(foreign_keys=[head_id], post_update=True)
    members: Mapped[list["User"]] = relationship(
        back_populates="department", foreign_keys="User.department_id", order_by="User.employee_no"
    )

    def __str__(self) -> str:
        return self.name


class UserRole(db.Model):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_no: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    phone: Mapped[str] = mapped_column(String(30), default="")
    email: Mapped[str] = mapped_column(String(120), default="")
    language: Mapped[str] = mapped_column(String(8), default="zh_CN")
    active: Mapped[bool] = mapped_column(default=True)
    password_hash: Mapped[str] = mapped_column(String(200), default="")
    # Set when the office hands out a password: until the person chooses their own, every page
    # leads to the change-password form (portal/security.py), so the office's one stays one-time.
    must_change_password: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    department: Mapped[Department | None] = relationship(
        back_populates="members", foreign_keys=[department_id]
    )
    role_rows: Mapped[list[UserRole]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    def __str__(self) -> str:
        return self.name

    @property
    def roles(self) -> frozenset[str]:
        # The user loader reads the names with the person (one statement, no role objects);
        # once the rows are loaded (an edit), they are the truth.
        if self.roles_at_load is not None and "role_rows" not in self.__dict__:
            return self.roles_at_load
        return frozenset(row.role for row in self.role_rows)

    def set_roles(self, roles) -> None:
        wanted = set(roles) & set(ROLES)
        self.role_rows = [r for r in self.role_rows if r.role in wanted]
        have = self.roles
        self.role_rows += [UserRole(role=role) for role in sorted(wanted - have)]

    def has_role(self, *roles: str) -> bool:
        return not self.roles.isdisjoint(roles)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    # The sign-in this object was loaded for (portal/blueprints/accounts/sessions.py sets them):
    # the raw id that the cookies carry, and its UserSession row (or only the row's id, the row
    # read when first asked for: most pages never ask).
    session_id = None
    session_record_id = None
    _session_record = None
    roles_at_load = None  # the role names (a frozenset), read by the user loader
    unread_at_load = None  # the bell's count, read by the user loader with the person

    @property
    def session_record(self) -> "UserSession | None":
        if self._session_record is None and self.session_record_id is not None:
            self._session_record = db.session.get(UserSession, self.session_record_id)
        return self._session_record

    @session_record.setter
    def session_record(self, record: "UserSession") -> None:
        self._session_record, self.session_record_id = record, None

    def get_id(self) -> str:
        # What Flask-Login puts in the session and remember cookies: the id of this sign-in,
        # never the person's, so that ending the sign-in ends both cookies.
        if self.session_id is None:
            raise RuntimeError("not signed in through accounts.sessions.start()")
        return self.session_id

    def __eq__(self, other):
        # The same person, whichever sign-in: UserMixin would compare get_id(), which is now
        # one per sign-in (and none for a person not signed in).
        if not isinstance(other, User):
            return NotImplemented
        if self.id is None or other.id is None:
            return self is other
        return self.id == other.id

    __hash__ = UserMixin.__hash__

    def end_sessions(self, keep: "UserSession | None" = None) -> None:
        """End every sign-in of this person (but `keep`): password change, reset, deactivation."""
        query = update(UserSession).where(UserSession.user_id == self.id,
                                          UserSession.ended_at.is_(None))
        if keep is not None:
            query = query.where(UserSession.id != keep.id)
        db.session.execute(query.values(ended_at=utcnow()))

    @classmethod
    def by_employee_no(cls, employee_no: str) -> "User | None":
        return db.session.scalar(select(cls).where(cls.employee_no == employee_no.strip()))

    @classmethod
    def with_role(cls, role: str) -> list["User"]:
        query = (
            select(cls)
            .join(UserRole)
            .where(UserRole.role == role, cls.active.is_(True))
            .order_by(cls.employee_no)
        )
        return list(db.session.scalars(query))


class LoginThrottle(db.Model):
    """Failed sign-ins of one account from one client, or of one client over all accounts.

    In the database, not Redis: signing in must keep working while Redis is down, and every app
    server sees the same counts.
    """

    __tablename__ = "login_throttles"
    __table_args__ = (UniqueConstraint("employee_no", "client"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_no: Mapped[str] = mapped_column(String(20), default="")  # "" = the whole client
    client: Mapped[str] = mapped_column(String(64))
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)


class UserSession(db.Model):
    """One sign-in on one device: the cookies carry its random id, the table only the id's hash.

    Ended (signed out, signed out elsewhere, password changed or reset, person deactivated) or
    expired, it lets nobody in; jobs/maintenance.purge_sessions deletes it a week later.
    """

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    id_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of the cookie's id
    device: Mapped[str] = mapped_column(String(40), default="")  # "Chrome · Android", no more
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
