"""Dagster wiring for the Yahoo prices source (client and parser: pipelines/lib/yahoo.py, landing: lib/prices.py)."""

import dagster as dg

from ..lib import prices, status
from ..lib.errors import failure_summary
from ..lib.http import make_session
from ..lib.yahoo import SampleYahooClient, YahooClient
from .resources import FRESHNESS, ChipwatchSettings


def make_client(settings):
    if settings.source == "sample":
        return SampleYahooClient()
    return YahooClient(settings.yahoo_url, make_session(settings.http_retries, settings.http_backoff),
                       settings.http_timeout)


@dg.asset(group_name="ingestion", kinds={"python", "parquet"}, freshness_policy=FRESHNESS["prices"],
          description="Daily bars for every curated listing from Yahoo Finance chart v8 (or the bundled sample), "
                      "landed incrementally as Parquet; the raw payloads are kept. Fails only when no symbol lands.")
def yahoo_daily_bars(context: dg.AssetExecutionContext, chipwatch: ChipwatchSettings) -> dg.MaterializeResult:
    settings = chipwatch.load()
    symbols = prices.listing_symbols()
    backfill = chipwatch.backfill()
    prices.log.info("prices: %d symbols from %s (%s)%s", len(symbols),
                    settings.yahoo_url if settings.source == "live" else "the bundled sample", settings.source,
                    f", backfill {backfill[0]}..{backfill[1]}" if backfill else "")
    report = prices.land_prices(settings, make_client(settings), symbols, refetch=backfill)
    failures = {f"yahoo:{r.symbol}": r.error for r in report.failed}
    for message in failures.values():
        context.log.error(message)
    if not report.landed:
        error = f"yahoo: no symbol landed ({len(symbols)} asked); {failure_summary(failures.values())}"
        status.record(settings, "prices", ok=False, items_failed=len(failures), error=error)
        raise dg.Failure(error)
    stored = sum(r.rows_stored for r in report.landed)
    status.record(settings, "prices", ok=True, rows=stored, items_failed=len(failures),
                  error="; ".join(failures.values())[:2000] or None)
    return dg.MaterializeResult(metadata={
        "source_mode": settings.source,
        "items_requested": len(symbols),
        "symbols_landed": len(report.landed),
        "rows_new": sum(r.rows_new for r in report.landed),
        "rows_stored": stored,
        "failed": dg.MetadataValue.json(failures),
    })


@dg.asset_check(asset=yahoo_daily_bars, description="Every curated listing landed in the latest refresh.")
def yahoo_all_symbols_landed(context: dg.AssetCheckExecutionContext) -> dg.AssetCheckResult:
    event = context.instance.get_latest_materialization_event(yahoo_daily_bars.key)
    failed = event.asset_materialization.metadata["failed"].value if event else {}
    return dg.AssetCheckResult(passed=not failed, severity=dg.AssetCheckSeverity.ERROR,
                               metadata={"failed": dg.MetadataValue.json(failed)})
