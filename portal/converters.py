"""Numbers from URLs that the database can hold: anything else is 404 or the default.

SQLite and PostgreSQL keep integers in 64 bits; a bigger id in a path or a query string used
to reach the database and end in a 500.
"""

from datetime import date

from werkzeug.routing import IntegerConverter

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
