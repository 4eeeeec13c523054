"""The benchmark's data loads and the front desk and the log read it in a fixed number of
queries (not one per visit or visitor)."""

import random

from sqlalchemy import func, select

from bench import visitors_desk
from portal.blueprints.visitors.models import Visit
from portal.extensions import db


def test_the_benchmark_builds_its_visits_and_the_pages_read_them(app):
    visitors_desk.build(500, random.Random(1))
    assert db.session.scalar(select(func.count()).select_from(Visit)) == 540
    results = visitors_desk.measure(app, repeats=1)
    assert results["front desk (40 visits)"][1] <= 10
    assert results["visitor log (last 30 days)"][1] <= 10
