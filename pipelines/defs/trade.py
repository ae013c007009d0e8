"""Dagster wiring for UN Comtrade trade flows (pipelines/lib/comtrade.py) and the country reference
(pipelines/lib/countries.py)."""

import logging
from datetime import date

import dagster as dg

from ..lib import comtrade, landing, raw_zone, status
from ..lib.countries import countries_path, countries_table
from ..lib.errors import ChipwatchError
from ..lib.http import make_session
from .resources import FRESHNESS, ChipwatchSettings

log = logging.getLogger("chipwatch.comtrade")


def make_client(settings):
    if settings.source == "sample":
        return comtrade.SampleComtradeClient()
    return comtrade.ComtradeClient(settings.comtrade_url, make_session(settings.http_retries, settings.http_backoff),
                                   max(settings.http_timeout, 60.0))


@dg.asset(group_name="ingestion", kinds={"python", "parquet"}, freshness_policy=FRESHNESS["trade"],
          description="UN Comtrade v1 records for HS 8542 and 8486: China's imports by partner, every reporter's "
                      "imports from the USA and exports to the World, annual and monthly. A query that fails keeps "
                      "its last good rows and is reported.")
def comtrade_records(context: dg.AssetExecutionContext, chipwatch: ChipwatchSettings) -> dg.MaterializeResult:
    settings = chipwatch.load()
    client = make_client(settings)
    backfill = chipwatch.backfill()
    queries = comtrade.default_queries(settings.trade_start_year, date.today())
    if backfill:
        queries = comtrade.restrict(queries, *backfill)
    log.info("comtrade: %d queries (%s endpoint)%s", len(queries),
             "sample" if settings.source == "sample" else ("preview, capped" if client.cap else "keyed"),
             f", backfill {backfill[0]}..{backfill[1]}" if backfill else ", incremental")
    try:
        report = comtrade.land_trade(settings, client, queries, incremental=not backfill)
    except ChipwatchError as exc:
        kept = " (the last good trade data stays)" if raw_zone.has_rows(comtrade.records_path(settings)) else ""
        status.record(settings, "trade", ok=False, items_failed=len(queries), error=str(exc))
        raise dg.Failure(f"{exc}{kept}") from exc
    for message in report.failures.values():
        context.log.error(message)
    log.info("comtrade: %d rows from %d requests, %d stored, %d failed queries",
             report.rows_landed, report.requests, report.rows_stored, len(report.failures))
    status.record(settings, "trade", ok=True, rows=report.rows_stored, items_failed=len(report.failures),
                  error="; ".join(report.failures.values())[:2000] or None)
    return dg.MaterializeResult(metadata={
        "source_mode": settings.source,
        "items_requested": len(queries),
        "requests": report.requests,
        "rows": report.rows_stored,
        "failed": dg.MetadataValue.json(report.failures),
    })


@dg.asset(group_name="ingestion", kinds={"python", "parquet"},
          description="ISO 3166-1 countries from pycountry with UN Comtrade's area codes (490 = Taiwan, 0 = World).")
def countries(chipwatch: ChipwatchSettings) -> dg.MaterializeResult:
    settings = chipwatch.load()
    table = countries_table()
    landing.write_parquet(countries_path(settings), table)
    return dg.MaterializeResult(metadata={"rows": table.num_rows})
