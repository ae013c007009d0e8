"""Dagster wiring for Epoch AI's hardware dataset (client and parser: pipelines/lib/epoch.py)."""

import logging

import dagster as dg

from ..lib import epoch
from ..lib.errors import ChipwatchError
from ..lib.http import make_session
from .resources import ChipwatchSettings

log = logging.getLogger("chipwatch.epoch")


def make_client(settings):
    if settings.source == "sample":
        return epoch.SampleEpochClient()
    return epoch.EpochClient(settings.epoch_url, make_session(settings.http_retries, settings.http_backoff),
                             max(settings.http_timeout, 60.0))


@dg.asset(group_name="ingestion", kinds={"python", "parquet"},
          description="Epoch AI's Machine Learning Hardware dataset (CSV, CC BY 4.0), landed as a Parquet snapshot. "
                      "If a refresh cannot fetch or parse it, the last good snapshot stays and the failure is reported.")
def epoch_ml_hardware(context: dg.AssetExecutionContext, chipwatch: ChipwatchSettings) -> dg.MaterializeResult:
    settings = chipwatch.load()
    failed, warnings = {}, {}
    try:
        parsed = epoch.land_hardware(settings, make_client(settings))
        rows = len(parsed.rows)
        if parsed.bad_cells:
            warnings = {f"epoch:{col}": f"{n} cell(s) not a number or date, kept as null"
                        for col, n in sorted(parsed.bad_cells.items())}
        log.info("epoch: %d accelerators, %d unreadable cell(s) kept as null", rows, parsed.bad_cell_count)
    except ChipwatchError as exc:
        if not epoch.hardware_path(settings).exists():
            raise dg.Failure(f"{exc} (and no earlier snapshot to fall back on)") from exc
        context.log.error(str(exc))
        log.warning("epoch: %s — keeping the last good snapshot", exc)
        failed, rows = {f"epoch:{epoch.ITEM}": str(exc)}, 0
    return dg.MaterializeResult(metadata={
        "source_mode": settings.source,
        "rows": rows,
        "items_requested": 1,
        "failed": dg.MetadataValue.json(failed),
        "warnings": dg.MetadataValue.json(warnings),
    })
