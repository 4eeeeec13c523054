"""What a home panel's values may hold: plain data, alike from one request to the next, so that
home can keep each panel's rendered HTML per (template, language, values)."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import time_machine
from sqlalchemy import select
from sqlalchemy.engine import Row

from portal.extensions import db
from portal.modules import NOW, TODAY, USER_ID, modules
from portal.timeutil import local_today, utcnow

# datetime is a date; Markup is a str; bool is an int.
PLAIN = (type(None), int, float, Decimal, str, date, time, timedelta)


def assert_plain(value, where: str = "panel") -> None:
    """Fail on anything but plain values: no ORM objects, nothing that holds them."""
    if isinstance(value, PLAIN):
        return
    if isinstance(value, tuple | list | Row):  # namedtuples and Core rows included
        for n, item in enumerate(value):
            assert_plain(item, f"{where}[{n}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            assert isinstance(key, str), f"{where}: key {key!r} is not a str"
            assert_plain(item, f"{where}.{key}")
        return
    raise AssertionError(f"{where} is not plain: {type(value).__name__} {value!r}")


def _values(user, panel):
    facts = {}
    if panel.facts:
        params = {USER_ID.key: user.id, NOW.key: utcnow(), TODAY.key: local_today(),
                  **(panel.params(user) if panel.params else {})}
        statement = select(*[fact.label(name) for name, fact in panel.facts().items()])
        facts = dict(db.session.execute(statement, params).one()._mapping)
    return panel.context(user, facts)


def panel_values(app, user, template: str):
    """The values home gives `template` for `user` now: checked plain, and the same a second
    later (nothing like a clock's microseconds in them)."""
    [panel] = [p for module in modules() for p in module.panels if p.template == template]
    with app.test_request_context("/"):
        values = _values(user, panel)
        assert_plain(values)
        with time_machine.travel(datetime.now(UTC) + timedelta(seconds=1), tick=False):
            assert _values(user, panel) == values
    return values
