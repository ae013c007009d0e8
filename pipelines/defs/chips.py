"""Dagster wiring for Epoch AI's hardware dataset (client and parser: pipelines/lib/epoch.py)."""

import logging

import dagster as dg

from ..lib import epoch, raw_zone, status
from ..lib.errors import ChipwatchError
from ..lib.http import make_session
from .resources import FRESHNESS, ChipwatchSettings

log = logging.getLogger("chipwatch.epoch")


def make_client(settings):
    if settings.source == "sample":
        return epoch.SampleEpochClient()
    return epoch.EpochClient(settings.epoch_url, make_session(settings.http_retries, settings.http_backoff),
                             max(settings.http_timeout, 60.0))


@dg.asset(group_name="ingestion", kinds={"python", "parquet"}, freshness_policy=FRESHNESS["chips"],
          description="Epoch AI's Machine Learning Hardware dataset (CSV, CC BY 4.0), landed as a Parquet snapshot. "
                      "When it cannot be fetched or parsed the asset fails and the last good snapshot stays.")
def epoch_ml_hardware(chipwatch: ChipwatchSettings) -> dg.MaterializeResult:
    settings = chipwatch.load()
    try:
        parsed = epoch.land_hardware(settings, make_client(settings))
    except ChipwatchError as exc:
        kept = " (the last good snapshot stays)" if raw_zone.has_rows(epoch.hardware_path(settings)) else ""
        status.record(settings, "chips", ok=False, items_failed=1, error=str(exc))
        raise dg.Failure(f"{exc}{kept}") from exc
    warnings = {f"epoch:{col}": f"{n} cell(s) not a number or date, kept as null"
                for col, n in sorted(parsed.bad_cells.items())}
    log.info("epoch: %d accelerators, %d unreadable cell(s) kept as null", len(parsed.rows), parsed.bad_cell_count)
    status.record(settings, "chips", ok=True, rows=len(parsed.rows))
    return dg.MaterializeResult(metadata={
        "source_mode": settings.source,
        "rows": len(parsed.rows),
        "items_requested": 1,
        "failed": dg.MetadataValue.json({}),
        "warnings": dg.MetadataValue.json(warnings),
    })
