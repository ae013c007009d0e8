"""Dagster wiring for Yahoo Finance daily bars (client and parser: pipelines/lib/yahoo.py; landing:
pipelines/lib/yahoo_landing.py; staging: dbt_project/models/staging/yahoo/)."""

import warnings
from datetime import date, timedelta
from typing import Any

import dagster as dg

from ..lib import refreshes, yahoo_landing
from ..lib.config import Settings
from ..lib.errors import failure_summary
from .resources import FRESHNESS, LandingConfig, refresh_id


def partitions(settings: Settings) -> dg.MonthlyPartitionsDefinition:
    """One partition per calendar month of price history, from the configured start to the current month."""
    return dg.MonthlyPartitionsDefinition(start_date=f"{settings.start:%Y-%m}-01", end_offset=1)


def daily_bars_asset(partitions_def: dg.PartitionsDefinition) -> dg.AssetsDefinition:
    with warnings.catch_warnings():  # BackfillPolicy is still marked beta in Dagster 1.13
        warnings.simplefilter("ignore", dg.BetaWarning)

        @dg.asset(
            name="yahoo_daily_bars",
            group_name="ingestion",
            kinds={"python", "parquet"},
            partitions_def=partitions_def,
            backfill_policy=dg.BackfillPolicy.single_run(),
            freshness_policy=FRESHNESS["yahoo"],
            description="Daily bars for every curated listing from Yahoo Finance chart v8 (or the bundled "
            "sample), one Parquet file per symbol; the raw payloads are kept. A refresh lands what "
            "is new (its run covers the months it asks for); a backfill of some months asks for "
            "them again. Fails only when no symbol lands.",
        )
        def yahoo_daily_bars(
            context: dg.AssetExecutionContext,
            config: LandingConfig,
            settings: dg.ResourceParam[Settings],
            yahoo: dg.ResourceParam[Any],
        ) -> dg.MaterializeResult:
            with refreshes.recording(settings, refresh_id(context), "yahoo", "daily_bars") as attempt:
                symbols = yahoo_landing.listing_symbols()
                refetch = None
                if config.refetch:
                    window = context.partition_time_window
                    refetch = (window.start.date(), min(window.end.date() - timedelta(days=1), date.today()))
                context.log.info(
                    f"yahoo: {len(symbols)} symbols ({settings.source})"
                    + (f", asking {refetch[0]}..{refetch[1]} again" if refetch else ", incremental")
                )
                report = yahoo_landing.land_prices(settings, yahoo, symbols, refetch=refetch)
                failures = {f"yahoo:{r.symbol}": r.error for r in report.failed}
                for message in failures.values():
                    context.log.error(message)
                if not report.landed:
                    error = f"yahoo: no symbol landed ({len(symbols)} asked); {failure_summary(failures.values())}"
                    attempt.fail(error, len(symbols), failures)
                    raise dg.Failure(error)
                attempt.succeed(sum(r.rows_stored for r in report.landed), len(symbols), failures)
            return dg.MaterializeResult(
                metadata={
                    "source_mode": settings.source,
                    "items_requested": len(symbols),
                    "symbols_landed": len(report.landed),
                    "rows_new": sum(r.rows_new for r in report.landed),
                    "rows_stored": attempt.rows_stored,
                    "failed": dg.MetadataValue.json(failures),
                    # their overlap showed revised history: fetched whole, beyond this run's partitions
                    "refetched_full_history": dg.MetadataValue.json(
                        [r.symbol for r in report.landed if r.refetched_full_history]
                    ),
                }
            )

    return yahoo_daily_bars


@dg.asset_check(asset="yahoo_daily_bars", description="Every curated listing landed in the latest refresh.")
def yahoo_all_symbols_landed(context: dg.AssetCheckExecutionContext) -> dg.AssetCheckResult:
    event = context.instance.get_latest_materialization_event(dg.AssetKey("yahoo_daily_bars"))
    failed = event.asset_materialization.metadata["failed"].value if event else {}
    return dg.AssetCheckResult(
        passed=not failed, severity=dg.AssetCheckSeverity.ERROR, metadata={"failed": dg.MetadataValue.json(failed)}
    )
