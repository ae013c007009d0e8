"""Dagster wiring for Kenneth French's data library, the daily research factors and the daily momentum factor
(client and parser: pipelines/lib/french.py; landing: pipelines/lib/french_landing.py; staging:
dbt_project/models/staging/french/)."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import dagster as dg

from ..lib import french_landing
from ..lib.config import Settings
from .resources import FRESHNESS
from .snapshots import land_snapshot, snapshot_result


def _land(
    context: dg.AssetExecutionContext, settings: Settings, dataset: str, land: Callable, path: Path
) -> dg.MaterializeResult:
    """Land one of the library's files as a snapshot; on failure the last good snapshot stays and the asset fails."""
    parsed = land_snapshot(context, settings, "french", dataset, land, path)
    warnings = {
        f"french:{dataset}:{col}": f"{n} value(s) marked missing (-99.99 or -999), kept as null"
        for col, n in sorted(parsed.missing.items())
    }
    context.log.info(
        f"french: {len(parsed.rows)} {dataset} rows, {parsed.first_date} to {parsed.last_date}, "
        f"CRSP vintage {parsed.vintage or 'not stated'}"
    )
    return snapshot_result(
        settings,
        len(parsed.rows),
        warnings,
        first_date=str(parsed.first_date),
        last_date=str(parsed.last_date),
        file_vintage=parsed.vintage or "",
    )


@dg.asset(
    group_name="ingestion",
    kinds={"python", "parquet"},
    freshness_policy=FRESHNESS["french"],
    description="Kenneth French's daily Fama-French research factors (Mkt-RF, SMB, HML, RF; percent, US stocks "
    "in CRSP), landed as a Parquet snapshot. The library updates monthly with a lag. When the file "
    "cannot be fetched or parsed the asset fails and the last good snapshot stays.",
)
def french_factors_daily(
    context: dg.AssetExecutionContext, settings: dg.ResourceParam[Settings], french: dg.ResourceParam[Any]
) -> dg.MaterializeResult:
    return _land(
        context,
        settings,
        "factors_daily",
        lambda: french_landing.land_factors(settings, french),
        french_landing.factors_path(settings),
    )


@dg.asset(
    group_name="ingestion",
    kinds={"python", "parquet"},
    freshness_policy=FRESHNESS["french"],
    description="Kenneth French's daily momentum factor (Mom, percent), landed as a Parquet snapshot. When the "
    "file cannot be fetched or parsed the asset fails and the last good snapshot stays.",
)
def french_momentum_daily(
    context: dg.AssetExecutionContext, settings: dg.ResourceParam[Settings], french: dg.ResourceParam[Any]
) -> dg.MaterializeResult:
    return _land(
        context,
        settings,
        "momentum_daily",
        lambda: french_landing.land_momentum(settings, french),
        french_landing.momentum_path(settings),
    )
