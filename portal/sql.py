"""Small helpers for statements that are built once and run on every page."""

from sqlalchemy import literal


def one_of(column, values):
    """`column IN (...)` of fixed values (statuses, say) as bound literals: an IN of a plain
    list is an expanding parameter, whose SQL SQLAlchemy writes anew at every execution."""
    return column.in_([literal(value) for value in values])
