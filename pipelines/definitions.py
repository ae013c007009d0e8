"""The Dagster definitions: `dagster dev`, `dg` and the `chipwatch` CLI all load `defs` from here.

Jobs: one per source (`prices_refresh`, `chips_refresh`, `trade_refresh`) that lands the source and then rebuilds and
publishes the whole warehouse, each on its own schedule, so a bad day at one source never blocks the others (the
marts that depend on it are rebuilt from its last good data). `build_and_publish` rebuilds from what has landed (the
curated tables are dbt seeds: they go in with every build). `ingest_<source>` jobs land a source alone (the CLI runs
them, then `build_and_publish`).
"""

import dagster as dg

from .defs.calendars import exchange_sessions
from .defs.checks import row_count_checks
from .defs.chips import epoch_ml_hardware
from .defs.dbt import chipwatch_dbt_assets, dbt_resource
from .defs.prices import yahoo_all_symbols_landed, yahoo_daily_bars
from .defs.publish import published_warehouse
from .defs.refresh_log import refresh_log
from .defs.resources import ChipwatchSettings
from .defs.trade import comtrade_records, countries

INGESTION = {
    "prices": [yahoo_daily_bars, exchange_sessions],
    "chips": [epoch_ml_hardware],
    "trade": [comtrade_records, countries],
}
BUILD = dg.AssetSelection.assets(refresh_log, chipwatch_dbt_assets, published_warehouse)
SCHEDULES = {  # source -> (cron, time zone)
    # one run after the US close covers the Asian sessions too: Shanghai and Hong Kong closed ~13 h earlier that day
    "prices": ("30 17 * * 1-5", "America/New_York"),
    "chips": ("0 7 * * 1", "UTC"),  # Epoch updates its dataset continuously; weekly is enough
    "trade": ("0 7 15 * *", "UTC"),  # Comtrade monthly data arrive with a lag of weeks
}

build_job = dg.define_asset_job("build_and_publish", selection=BUILD, executor_def=dg.in_process_executor,
                                description="Rebuild every model from the data already landed and publish.")
source_jobs = {
    source: dg.define_asset_job(f"{source}_refresh", selection=dg.AssetSelection.assets(*assets) | BUILD,
                                executor_def=dg.in_process_executor,
                                description=f"Land {source}, then rebuild and publish the warehouse.")
    for source, assets in INGESTION.items()
}
ingest_jobs = [
    dg.define_asset_job(f"ingest_{source}", selection=dg.AssetSelection.assets(*assets),
                        executor_def=dg.in_process_executor, description=f"Land {source} only.")
    for source, assets in INGESTION.items()
]
schedules = [
    dg.ScheduleDefinition(name=f"{source}_schedule", job=source_jobs[source], cron_schedule=cron,
                          execution_timezone=tz, default_status=dg.DefaultScheduleStatus.RUNNING)
    for source, (cron, tz) in SCHEDULES.items()
]
defs = dg.Definitions(
    assets=[*(a for assets in INGESTION.values() for a in assets), refresh_log, chipwatch_dbt_assets,
            published_warehouse],
    asset_checks=[yahoo_all_symbols_landed, *row_count_checks],
    jobs=[build_job, *source_jobs.values(), *ingest_jobs],
    schedules=schedules,
    resources={"chipwatch": ChipwatchSettings(), "dbt": dbt_resource()},
)
