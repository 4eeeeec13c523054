"""The shuttle benchmark builds its network and every page it measures answers."""

import random

from bench import shuttle_network
from bench._common import reset_schema, scratch_app


def test_the_benchmark_builds_a_network_and_measures_every_page(tmp_path):
    app = scratch_app(f"sqlite:///{tmp_path / 'bench.db'}")
    with app.app_context():
        reset_schema()
        shuttle_network.build(routes=20, stops=200, people=300, rng=random.Random(1))
        results = shuttle_network.measure(app, repeats=1)
        shuttle_network.db.session.remove()
        shuttle_network.db.engine.dispose()
    assert set(results) == set(shuttle_network.PAGES)
    assert all(queries < 40 for _ms, queries in results.values())
