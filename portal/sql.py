"""Small helpers for statements that are built once and run on every page."""

from collections import namedtuple

from flask import g
from sqlalchemy import literal

from portal.extensions import PLAIN_READS, db


def one_of(column, values):
    """`column IN (...)` of fixed values (statuses, say) as bound literals: an IN of a plain
    list is an expanding parameter, whose SQL SQLAlchemy writes anew at every execution."""
    return column.in_([literal(value) for value in values])


def rows(statement, params: dict, connection=None) -> list[tuple]:
    """The rows of a SELECT that is built once and sent on every page (the sign-in's, home's
    panels', the menu's personal row), as named tuples, run on `connection`: by default the
    request's `plain_reads` connection when it has one (a GET view marked
    `reads_who_only(apart=True)`: its loader opened it), else its database session's.

    SQLAlchemy does per execution what depends only on the statement: parameters, a cursor
    wrapper, a result object. That costs five times what SQLite takes to answer (60 µs against
    11). Here it is done once per statement and database: SQLAlchemy compiles the statement and
    gives its parameter and result processors, and each execution sends the same SQL on the
    connection's own cursor. While anything listens to the engine's statements (a test counting
    them, say), the statement goes through SQLAlchemy, events and all. When the database raises,
    the statement is sent again through SQLAlchemy, so that what is raised is SQLAlchemy's error
    (which the error pages know) and a lost connection is invalidated, as always.
    """
    if connection is None:
        connection = g.get(PLAIN_READS) or db.session.connection()
    plans = _plans.get(statement)
    if plans is None:
        if len(_plans) >= MOST_PLANS:
            _plans.clear()
        plans = _plans.setdefault(statement, {})
    dialect = connection.dialect
    plan = plans.get(dialect)
    if plan is None:
        if len(plans) >= 4:  # engines come and go (tests): their plans go too
            plans.clear()
        plan = plans[dialect] = _Plan.of(statement, dialect, params)
    if plan is _SLOW or connection._has_events or connection.engine._has_events:
        return connection.execute(statement, params).all()
    try:
        return plan.run(connection.connection, params)
    except dialect.loaded_dbapi.Error:
        return connection.execute(statement, params).all()


def one(statement, params: dict, connection=None) -> tuple:
    """The single row of `rows(...)` (a statement of scalar subqueries, say)."""
    (row,) = rows(statement, params, connection)
    return row


def first(statement, params: dict, connection=None) -> tuple | None:
    found = rows(statement, params, connection)
    return found[0] if found else None


# statement -> {dialect: its _Plan}. The statements are built once, so this stays small; should
# one be built per call by mistake, the plans are dropped now and then rather than grow.
_plans: dict = {}
MOST_PLANS = 1000


class _Plan:
    """A statement's SQL for one database, its parameters in the driver's order, their
    processors, and the processors and names of its result columns."""

    __slots__ = ("sql", "order", "named", "defaults", "binds", "types", "dialect", "results", "row")

    @classmethod
    def of(cls, statement, dialect, params: dict):
        compiled = statement.compile(dialect=dialect)
        if (compiled.escaped_bind_names or not compiled._result_columns
                or any(bind.expanding for bind in compiled.post_compile_params)):
            return _SLOW  # names the driver cannot take as they are, or a list per execution
        state = compiled.construct_expanded_state(params)
        plan = cls()
        plan.sql, plan.order = state.statement, state.positiontup
        plan.named = None if plan.order else tuple(state.parameters)
        plan.binds = binds = dict(state.processors)
        plan.defaults = {key: (binds[key](value) if key in binds else value)  # bound literals
                         for key, value in state.parameters.items() if key not in params}
        plan.types = [column.type for column in compiled._result_columns]
        plan.dialect = dialect
        plan.results = None  # the columns' processors, from the first execution's cursor
        plan.row = namedtuple("Row", [column.keyname for column in compiled._result_columns],
                              rename=True)
        return plan

    def run(self, dbapi_connection, params: dict) -> list[tuple]:
        processed, binds = dict(self.defaults), self.binds
        for key, value in params.items():
            process = binds.get(key)
            processed[key] = value if process is None else process(value)
        # A value missing is a KeyError here, never one of an earlier execution.
        arguments = ([processed[key] for key in self.order] if self.order
                     else {key: processed[key] for key in self.named})
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(self.sql, arguments)
            fetched = cursor.fetchall()
            if self.results is None:
                self.results = self._processors(cursor.description)
        finally:
            cursor.close()
        make = self.row._make
        if not self.results:
            return [make(row) for row in fetched]
        made = []
        for row in fetched:
            values = list(row)
            for n, process in self.results:
                values[n] = process(values[n])
            made.append(make(values))
        return made

    def _processors(self, description) -> list:
        """(column's index, processor) of the columns SQLAlchemy's result converts (the others
        it takes as the driver gives them)."""
        processors = [type_._cached_result_processor(self.dialect, column[1])
                      for type_, column in zip(self.types, description, strict=True)]
        return [(n, process) for n, process in enumerate(processors) if process is not None]


_SLOW = object()  # a statement that always goes through SQLAlchemy
