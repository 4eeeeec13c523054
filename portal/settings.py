"""A module's settings: one row in the module's own table, its defaults declared once, on the
model's columns. Reading never writes; the first save creates the row."""

from sqlalchemy import select

from portal.blueprints.audit.services import record
from portal.extensions import db


def _saved(model):
    return db.session.scalar(select(model).order_by(model.id).limit(1))


def read_settings(model):
    """The saved row, or an unsaved one holding the column defaults."""
    row = _saved(model)
    if row is not None:
        return row
    defaults = {column.key: column.default.arg for column in model.__table__.columns
                if column.default is not None and column.default.is_scalar}
    return model(id=1, **defaults)


def save_settings(model, action: str, **values):
    """Change some settings (creating the row on the first save) and record who did it."""
    row = _saved(model)
    if row is None:
        row = read_settings(model)
        db.session.add(row)
    for name, value in values.items():
        setattr(row, name, value)
    record(action, model.__tablename__, **values)
    db.session.flush()
    return row
