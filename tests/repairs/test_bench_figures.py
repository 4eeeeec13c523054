"""The repairs benchmark loads requests around the ORM and counts the figures' summaries once, so
the figures it measures are the requests' own."""

import random

from bench import repairs_queue
from portal.blueprints.repairs.figures import monthly_figures
from portal.extensions import db
from portal.timeutil import local_now


def test_the_benchmark_counts_the_figures_of_what_it_loads(app):
    repairs_queue.build(400, random.Random(4))
    db.session.commit()
    now = local_now()
    assert monthly_figures(now.year, now.month)[1].opened == repairs_queue._this_month()
