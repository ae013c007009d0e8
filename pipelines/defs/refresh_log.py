"""The refresh record (source mode, failed items) that becomes marts.meta_refreshes (pipelines/lib/refreshes.py)."""

import json
from datetime import datetime, timezone

import dagster as dg

from ..lib import refreshes
from .chips import epoch_ml_hardware
from .prices import yahoo_daily_bars
from .trade import comtrade_records
from .resources import ChipwatchSettings

INGESTION_ASSETS = [yahoo_daily_bars, epoch_ml_hardware, comtrade_records]
FAILURES_TAG = "chipwatch/ingestion_failures"
REQUESTED_TAG = "chipwatch/items_requested"


@dg.asset(group_name="ingestion", kinds={"python", "parquet"}, deps=INGESTION_ASSETS,
          description="One row per refresh: its source mode and what failed to land, across every source.")
def refresh_log(context: dg.AssetExecutionContext, chipwatch: ChipwatchSettings) -> dg.MaterializeResult:
    settings = chipwatch.load()
    # failures of ingestion runs that came before this build run (the CLI lands each source in its own run)
    failures = json.loads(context.run.tags.get(FAILURES_TAG, "{}"))
    requested = int(context.run.tags.get(REQUESTED_TAG, "0"))
    for asset in INGESTION_ASSETS:
        event = context.instance.get_latest_materialization_event(asset.key)
        if event is None or event.run_id != context.run_id:
            continue
        metadata = event.asset_materialization.metadata
        failures.update(metadata["failed"].value)
        requested += metadata["items_requested"].value
    run = context.instance.get_run_record_by_id(context.run_id)
    started = run.create_timestamp if run else datetime.now(timezone.utc)
    record = refreshes.RefreshRecord(refresh_id=context.run_id, started_at=started, source_mode=settings.source,
                                     items_requested=requested, failures=failures)
    refreshes.record(settings, record)
    return dg.MaterializeResult(metadata={"source_mode": settings.source, "items_failed": len(failures)})
