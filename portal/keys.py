"""What renders are kept by: `plain`, a value as a key that holds every input of a render made
from it, and `Recent`, a store of the most recently used (portal.templating keeps renders in it)."""

import threading
from collections import OrderedDict
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from markupsafe import Markup
from sqlalchemy.engine import Row


class Recent:
    """At most `size` values, the least recently used dropped first; safe across threads."""

    def __init__(self, size: int) -> None:
        self.size, self.values, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key):
        with self.lock:
            value = self.values.get(key)
            if value is not None:
                self.values.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        with self.lock:
            self.values[key] = value
            if len(self.values) > self.size:
                self.values.popitem(last=False)


def _typed(value):
    return (type(value), value)


# How each plain type goes into a key: with its type where equal values render differently
# (1, 1.0 and True; a date and midnight; text and Markup; the same instant in two time zones).
_PLAIN = {str: None, int: None, type(None): None, date: None, bool: _typed, float: _typed,
          timedelta: _typed, Decimal: lambda value: (Decimal, str(value)),
          Markup: lambda value: (Markup, str(value)),
          datetime: lambda value: (datetime, value.isoformat()),
          time: lambda value: (time, value.isoformat())}


def plain(value):
    """`value` as a hashable key when it holds plain data only (text, numbers, dates and times,
    tuples, lists and dicts of them, rows of a Core select): a render from it depends on nothing
    else. Raises TypeError for anything else, an ORM object say, whose attributes a template
    may follow to data the key does not hold."""
    kind = type(value)
    if kind in _PLAIN:
        as_key = _PLAIN[kind]
        return value if as_key is None else as_key(value)
    if kind is dict:
        return (dict, *[(key, _item(item)) for key, item in value.items()])
    if kind is list or kind is tuple or (issubclass(kind, tuple) and hasattr(kind, "_fields")):
        return (kind, *[item if type(item) in _AS_THEY_ARE else plain(item) for item in value])
    if isinstance(value, Row):
        return (Row, value._fields, *[_item(item) for item in value])
    raise TypeError(f"not plain data: {kind.__name__}")


_AS_THEY_ARE = frozenset(kind for kind, as_key in _PLAIN.items() if as_key is None)


def _item(value):
    """`plain(value)`, the most common values (text, whole numbers, None, days) without a call."""
    return value if type(value) in _AS_THEY_ARE else plain(value)
