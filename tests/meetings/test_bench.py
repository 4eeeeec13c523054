"""The benchmark's data is valid (no overlaps, so PostgreSQL's constraint accepts it) and the day
view reads it in a fixed number of queries."""

import random

from sqlalchemy import func, select

from bench import meetings_day
from portal.blueprints.meetings.models import Meeting
from portal.extensions import db


def test_the_benchmark_builds_its_bookings_and_the_day_view_reads_them(app):
    meetings_day.build(1000, random.Random(1))
    assert db.session.scalar(select(func.count()).select_from(Meeting)) == 1000
    results = meetings_day.measure(app, repeats=1)
    # A handful (session, user, rooms, bookings …), not one per room or booking (50 and 300).
    assert results["day view (today, 300 bookings)"][1] <= 6
