"""The benchmark suite's quick mode (``BENCH_QUICK=1``) runs every piece on each store (the relay's
against the machine's NATS server), so the benchmarks keep working as the application changes. Only that they run and measure is checked:
timings on a shared machine say nothing."""

import pytest

from bench import suite
from tests.conftest import ADMIN_URL


@pytest.mark.parametrize("store", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_the_quick_suite_measures_every_figure_and_its_baseline(store):
    rows, ok = suite.run_store(store, suite.QUICK, ADMIN_URL)

    assert ok
    http_rows = 2 * len(suite.HTTP_LABELS) * len(suite.QUICK.users)
    assert len(rows) == 3 + 2 + len(suite.QUICK.sizes) + http_rows + 1 + len(suite.RELAY_POLLS)
    for row in rows:
        assert row.figure is not None and row.baseline is not None, row
        if row.unit != "p50 / p99 ms":  # latency rows carry no ratio
            assert row.ratio is not None and 0 < row.ratio.low <= row.ratio.median <= row.ratio.high, row
    table = suite.table({store: rows})
    assert "failed" not in table
    assert table.count("\n") == len(rows) + 1  # a header, its rule and one line per row
