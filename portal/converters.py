"""Numbers and days from URLs that the portal can compute with: anything else is 404 (in a
path) or the default (in a query string).

SQLite and PostgreSQL keep integers in 64 bits; a bigger id in a path or a query string used
to reach the database and end in a 500. A day far from now (year 9999) overflows a week's
arithmetic the same way.
"""

from datetime import date

from flask import request
from werkzeug.routing import BaseConverter, IntegerConverter, ValidationError

DB_INT_MAX = 2**63 - 1
MAX_PAGE = 1_000_000  # far past any list; keeps OFFSET (page × size) within 64 bits too


class DatabaseIntConverter(IntegerConverter):
    """<int:…> that answers 404 for a number no row can have (registered as "int")."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", DB_INT_MAX)
        super().__init__(map, *args, **kwargs)


def db_int(value: str) -> int:
    """`type=` for request.args.get: a 64-bit integer, or ValueError (so the default is used)."""
    number = int(value)
    if not -DB_INT_MAX - 1 <= number <= DB_INT_MAX:
        raise ValueError(value)
    return number


def page_number(value: str) -> int:
    """`type=` for ?page=: 1 … MAX_PAGE, or ValueError (so the default is used)."""
    number = int(value)
    if not 1 <= number <= MAX_PAGE:
        raise ValueError(value)
    return number


FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)


def calendar_date(value: str) -> date:
    """An ISO date the portal can compute with: a week or a month either side still exists
    (date.max + 7 days would raise), and it converts to UTC and back. ValueError otherwise."""
    day = date.fromisoformat(value)
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(value)
    return day


class CalendarDateConverter(BaseConverter):
    """<date:…> gives the view a `date` within FIRST_DAY … LAST_DAY; any other text is 404.

    url_for takes a `date` or its ISO text alike (str(date) is the ISO form)."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> date:
        try:
            return calendar_date(value)
        except ValueError:
            raise ValidationError() from None


def date_arg(name: str, default: date) -> date:
    """A day from the query string (?week=2026-03-02), or `default` when absent or not a day."""
    return request.args.get(name, default, type=calendar_date)
