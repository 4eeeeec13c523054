"""The overtime benchmark builds its data and measures (a small run of it)."""

import tempfile

from bench import overtime_review


def test_the_benchmark_runs_on_a_small_scratch_database(capsys):
    with tempfile.TemporaryDirectory() as scratch:
        overtime_review.run(f"sqlite:///{scratch}/bench-{{size}}.db", [300], "SQLite")
    out = capsys.readouterr().out
    assert "review list (month, page 1)" in out and "statement PDF" in out
