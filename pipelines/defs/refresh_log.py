"""The refresh record (source mode, failed items) that becomes marts.meta_refreshes (pipelines/lib/refreshes.py)."""

from datetime import datetime, timezone

import dagster as dg

from ..lib import prices, refreshes
from .prices import yahoo_daily_bars
from .resources import ChipwatchSettings


@dg.asset(group_name="ingestion", kinds={"python", "parquet"}, deps=[yahoo_daily_bars],
          description="One row per refresh: its source mode and what failed to land.")
def refresh_log(context: dg.AssetExecutionContext, chipwatch: ChipwatchSettings) -> dg.MaterializeResult:
    settings = chipwatch.load()
    failures = {}
    event = context.instance.get_latest_materialization_event(yahoo_daily_bars.key)
    if event is not None and event.run_id == context.run_id:
        failures = dict(event.asset_materialization.metadata["failed"].value)
    run = context.instance.get_run_record_by_id(context.run_id)
    started = run.create_timestamp if run else datetime.now(timezone.utc)
    record = refreshes.RefreshRecord(
        refresh_id=context.run_id, started_at=started, source_mode=settings.source,
        items_requested=len(prices.listing_symbols()), failures=failures)
    refreshes.record(settings, record)
    return dg.MaterializeResult(metadata={"source_mode": settings.source, "items_failed": len(failures)})
