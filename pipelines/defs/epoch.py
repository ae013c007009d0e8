"""Dagster wiring for Epoch AI's datasets, the hardware file and the GPU clusters file (client and parsers:
pipelines/lib/epoch.py; landing: pipelines/lib/epoch_landing.py; staging: dbt_project/models/staging/epoch/)."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import dagster as dg

from ..lib import epoch_landing
from ..lib.config import Settings
from .resources import FRESHNESS
from .snapshots import land_snapshot, snapshot_result


def _land(
    context: dg.AssetExecutionContext, settings: Settings, dataset: str, land: Callable, path: Path
) -> dg.MaterializeResult:
    """Land one Epoch file as a snapshot; on failure the last good snapshot stays and the asset fails."""
    parsed = land_snapshot(context, settings, "epoch", dataset, land, path)
    warnings = {
        f"epoch:{dataset}:{col}": f"{n} cell(s) not a number or date, kept as null"
        for col, n in sorted(parsed.bad_cells.items())
    }
    context.log.info(f"epoch: {len(parsed.rows)} {dataset} rows, {parsed.bad_cell_count} unreadable cell(s) as null")
    return snapshot_result(settings, len(parsed.rows), warnings)


@dg.asset(
    group_name="ingestion",
    kinds={"python", "parquet"},
    freshness_policy=FRESHNESS["epoch"],
    description="Epoch AI's Machine Learning Hardware dataset (CSV, CC BY 4.0), landed as a Parquet snapshot. "
    "When it cannot be fetched or parsed the asset fails and the last good snapshot stays.",
)
def epoch_ml_hardware(
    context: dg.AssetExecutionContext, settings: dg.ResourceParam[Settings], epoch: dg.ResourceParam[Any]
) -> dg.MaterializeResult:
    return _land(
        context,
        settings,
        "ml_hardware",
        lambda: epoch_landing.land_hardware(settings, epoch),
        epoch_landing.hardware_path(settings),
    )


@dg.asset(
    group_name="ingestion",
    kinds={"python", "parquet"},
    freshness_policy=FRESHNESS["epoch"],
    description="Epoch AI's GPU Clusters dataset (AI supercomputers, existing, planned and decommissioned; "
    "CSV, CC BY 4.0), landed as a Parquet snapshot; Chinese entries arrive anonymised (no owner or "
    "chip type, rounded figures). When it cannot be fetched or parsed the last good snapshot stays.",
)
def epoch_gpu_clusters(
    context: dg.AssetExecutionContext, settings: dg.ResourceParam[Settings], epoch: dg.ResourceParam[Any]
) -> dg.MaterializeResult:
    return _land(
        context,
        settings,
        "gpu_clusters",
        lambda: epoch_landing.land_clusters(settings, epoch),
        epoch_landing.clusters_path(settings),
    )
