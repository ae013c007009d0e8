"""Dagster wiring for Epoch AI's hardware dataset (client and parser: pipelines/lib/epoch.py; landing:
pipelines/lib/epoch_landing.py; staging: dbt_project/models/staging/epoch/)."""

from typing import Any

import dagster as dg

from ..lib import epoch_landing, raw_zone, refreshes
from ..lib.config import Settings
from ..lib.errors import ChipwatchError
from .resources import FRESHNESS, refresh_id


@dg.asset(group_name="ingestion", kinds={"python", "parquet"}, freshness_policy=FRESHNESS["epoch"],
          description="Epoch AI's Machine Learning Hardware dataset (CSV, CC BY 4.0), landed as a Parquet snapshot. "
                      "When it cannot be fetched or parsed the asset fails and the last good snapshot stays.")
def epoch_ml_hardware(context: dg.AssetExecutionContext, settings: dg.ResourceParam[Settings],
                      epoch: dg.ResourceParam[Any]) -> dg.MaterializeResult:
    with refreshes.recording(settings, refresh_id(context), "epoch") as attempt:
        try:
            parsed = epoch_landing.land_hardware(settings, epoch)
        except ChipwatchError as exc:
            kept = " (the last good snapshot stays)" if raw_zone.has_rows(epoch_landing.hardware_path(settings)) else ""
            attempt.fail(f"{exc}{kept}", 1, {"epoch:ml_hardware": f"{exc}{kept}"})
            raise dg.Failure(f"{exc}{kept}") from exc
        attempt.succeed(len(parsed.rows), 1)
    warnings = {f"epoch:{col}": f"{n} cell(s) not a number or date, kept as null"
                for col, n in sorted(parsed.bad_cells.items())}
    context.log.info(f"epoch: {len(parsed.rows)} accelerators, {parsed.bad_cell_count} unreadable cell(s) kept as null")
    return dg.MaterializeResult(metadata={
        "source_mode": settings.source,
        "rows_stored": len(parsed.rows),
        "items_requested": 1,
        "failed": dg.MetadataValue.json({}),
        "warnings": dg.MetadataValue.json(warnings),
    })
