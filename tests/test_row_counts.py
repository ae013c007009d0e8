"""A refresh that stores far fewer rows than the previous one warns (asset checks from pipelines/defs/checks.py)."""

import dagster as dg
import pytest

from pipelines.defs.checks import row_count_checks
from pipelines.defs.prices import yahoo_daily_bars
from pipelines.lib.status import row_count_drop


@pytest.mark.parametrize("previous, current, warns", [
    (None, 100, False), (0, 100, False), (1000, 1000, False), (1000, 500, False), (1000, 499, True), (1000, 0, True),
])
def test_row_count_drop_warns_below_half_of_the_previous_refresh(previous, current, warns):
    assert (row_count_drop(previous, current) is not None) == warns


def test_the_prices_check_reads_the_two_latest_materializations():
    check = next(c for c in row_count_checks if yahoo_daily_bars.key in {k.asset_key for k in c.check_keys})
    with dg.DagsterInstance.ephemeral() as instance:
        results = []
        for rows in (12_000, 11_990, 3_000):
            instance.report_runless_asset_event(dg.AssetMaterialization(yahoo_daily_bars.key,
                                                                        metadata={"rows_stored": rows}))
            results.append(check(dg.build_asset_check_context(instance=instance)))
    assert [r.passed for r in results] == [True, True, False]
    assert results[2].severity == dg.AssetCheckSeverity.WARN and "25% of the 11,990" in results[2].description
