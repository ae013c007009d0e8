"""Dagster wiring for UN Comtrade trade flows (client and parser: pipelines/lib/comtrade.py; landing:
pipelines/lib/comtrade_landing.py; staging: dbt_project/models/staging/comtrade/) and the country reference
(pipelines/lib/countries.py) that maps Comtrade's area codes."""

import warnings
from datetime import date
from typing import Any

import dagster as dg

from ..lib import comtrade_landing, landing, raw_zone, refreshes
from ..lib.comtrade import KEYED_CAP, default_queries
from ..lib.config import Settings
from ..lib.countries import countries_path, countries_table, tier2_comtrade_codes
from ..lib.errors import ChipwatchError
from .resources import FRESHNESS, LandingConfig, refresh_id


def partitions(settings: Settings) -> dg.TimeWindowPartitionsDefinition:
    """One partition per calendar year of trade data (that year's annual figures and its months), from
    CHIPWATCH_TRADE_START_YEAR to the current year."""
    return dg.TimeWindowPartitionsDefinition(
        start=str(settings.trade_start_year), fmt="%Y", cron_schedule="0 0 1 1 *", end_offset=1
    )


def records_asset(partitions_def: dg.PartitionsDefinition) -> dg.AssetsDefinition:
    with warnings.catch_warnings():  # BackfillPolicy is still marked beta in Dagster 1.13
        warnings.simplefilter("ignore", dg.BetaWarning)

        @dg.asset(
            name="comtrade_records",
            group_name="ingestion",
            kinds={"python", "parquet"},
            partitions_def=partitions_def,
            backfill_policy=dg.BackfillPolicy.single_run(),
            freshness_policy=FRESHNESS["comtrade"],
            description="UN Comtrade v1 records for HS 8542 and 8486: China's imports by partner, every "
            "reporter's imports from the USA and exports to the World, annual and monthly; and for "
            "HS 8542, 8471 and 8473 the Tier-2 countries' imports from China, Hong Kong, the USA, "
            "Taiwan and the World, and China's and the USA's exports to them. A "
            "refresh asks only for periods not landed yet and the latest few (revised); a backfill "
            "of some years asks for them again. A query that fails keeps its last good rows.",
        )
        def comtrade_records(
            context: dg.AssetExecutionContext,
            config: LandingConfig,
            settings: dg.ResourceParam[Settings],
            comtrade: dg.ResourceParam[Any],
        ) -> dg.MaterializeResult:
            with refreshes.recording(settings, refresh_id(context), "comtrade", "records") as attempt:
                queries = default_queries(
                    settings.trade_start_year, date.today(), tier2_comtrade_codes(), cap=comtrade.cap or KEYED_CAP
                )
                if config.refetch:
                    window = context.partition_time_window
                    queries = comtrade_landing.restrict(
                        queries, date(window.start.year, 1, 1), date(window.end.year - 1, 12, 31)
                    )
                context.log.info(
                    f"comtrade: {len(queries)} queries ({settings.source})"
                    + (", asking the partitions' years again" if config.refetch else ", incremental")
                )
                try:
                    report = comtrade_landing.land_trade(settings, comtrade, queries, incremental=not config.refetch)
                except ChipwatchError as exc:
                    path = comtrade_landing.records_path(settings)
                    message = f"{exc}{' (the last good trade data stays)' if raw_zone.has_rows(path) else ''}"
                    attempt.fail(message, len(queries))
                    raise dg.Failure(message) from exc
                attempt.succeed(report.rows_stored, len(queries), report.failures)
            for message in report.failures.values():
                context.log.error(message)
            context.log.info(
                f"comtrade: {report.rows_landed} rows from {report.requests} requests, "
                f"{report.rows_stored} stored, {len(report.failures)} failed queries"
            )
            return dg.MaterializeResult(
                metadata={
                    "source_mode": settings.source,
                    "items_requested": len(queries),
                    "requests": report.requests,
                    "rows_stored": report.rows_stored,
                    "failed": dg.MetadataValue.json(report.failures),
                }
            )

    return comtrade_records


@dg.asset(
    group_name="ingestion",
    kinds={"python", "parquet"},
    description="ISO 3166-1 countries from pycountry with UN Comtrade's area codes (490 = Taiwan, 0 = World).",
)
def countries(settings: dg.ResourceParam[Settings]) -> dg.MaterializeResult:
    table = countries_table()
    landing.write_parquet(countries_path(settings), table)
    return dg.MaterializeResult(metadata={"rows": table.num_rows})
