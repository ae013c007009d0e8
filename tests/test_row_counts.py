"""A refresh that stores far fewer rows than the previous one warns (asset checks from pipelines/defs/checks.py,
reading the refresh record)."""

from datetime import UTC, datetime

import dagster as dg
import pytest

from pipelines.defs.checks import row_count_checks
from pipelines.lib import refreshes
from pipelines.lib.config import load_settings
from pipelines.lib.status import row_count_drop


@pytest.mark.parametrize(
    "previous, current, warns",
    [
        (None, 100, False),
        (0, 100, False),
        (1000, 1000, False),
        (1000, 500, False),
        (1000, 499, True),
        (1000, 0, True),
    ],
)
def test_row_count_drop_warns_below_half_of_the_previous_refresh(previous, current, warns):
    assert (row_count_drop(previous, current) is not None) == warns


def test_the_yahoo_check_compares_the_two_latest_landed_attempts_in_the_refresh_record(tmp_path, monkeypatch):
    monkeypatch.setenv("CHIPWATCH_HOME", str(tmp_path))
    settings = load_settings("sample")
    check = next(c for c in row_count_checks if dg.AssetKey("yahoo_daily_bars") in {k.asset_key for k in c.check_keys})
    results = []
    for n, (rows, landed) in enumerate([(12_000, True), (11_990, True), (0, False), (3_000, True)]):
        attempt = refreshes.Attempt(
            f"2026010{n + 1}T000000Z-00000{n}",
            "yahoo",
            "daily_bars",
            "sample",
            finished_at=datetime(2026, 1, n + 1, tzinfo=UTC),
        )
        refreshes.record(settings, attempt.succeed(rows, 23) if landed else attempt.fail("yahoo: down"))
        results.append(check(settings=settings))
    # a failed attempt stores nothing and is not compared; the 3,000 after 11,990 warns
    assert [r.passed for r in results] == [True, True, True, False]
    assert results[3].severity == dg.AssetCheckSeverity.WARN and "25% of the 11,990" in results[3].description
