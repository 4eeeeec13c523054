"""Test data: people and departments with the least that each test must say."""

import itertools

from portal.blueprints.accounts.models import Department, User
from portal.blueprints.accounts.passwords import hash_password
from portal.extensions import db

PASSWORD = "correct-horse-9"
_HASH = None
_numbers = itertools.count(1)


def _password_hash() -> str:
    global _HASH
    if _HASH is None:  # argon2 is slow on purpose; hash once per test session
        _HASH = hash_password(PASSWORD)
    return _HASH


def make_department(name: str | None = None, head: User | None = None) -> Department:
    department = Department(name=name or f"部门{next(_numbers)}", head=head)
    db.session.add(department)
    db.session.commit()
    return department


def make_user(*roles: str, name: str | None = None, department: Department | None = None,
              language: str = "zh_CN", **fields) -> User:
    number = next(_numbers)
    user = User(employee_no=fields.pop("employee_no", f"T{number:05d}"),
                name=name or f"测试员{number}", department=department, language=language,
                password_hash=_password_hash(), **fields)
    user.set_roles(roles or ["employee"])
    db.session.add(user)
    db.session.commit()
    return user
