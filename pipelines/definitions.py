"""The Dagster definitions: `dagster dev`, `dg` and the `chipwatch` CLI all load `defs` from here."""

import dagster as dg

from .defs.calendars import exchange_sessions
from .defs.chips import epoch_ml_hardware
from .defs.dbt import chipwatch_dbt_assets, dbt_resource
from .defs.prices import yahoo_all_symbols_landed, yahoo_daily_bars
from .defs.publish import published_warehouse
from .defs.refresh_log import refresh_log
from .defs.resources import ChipwatchSettings
from .defs.trade import comtrade_records, countries

refresh_job = dg.define_asset_job(
    "refresh",
    selection=dg.AssetSelection.all(),
    description="Land every source, build the dbt models and tests, publish the warehouse.",
    executor_def=dg.in_process_executor,
)

defs = dg.Definitions(
    assets=[yahoo_daily_bars, epoch_ml_hardware, comtrade_records, countries, exchange_sessions, refresh_log, chipwatch_dbt_assets, published_warehouse],
    asset_checks=[yahoo_all_symbols_landed],
    jobs=[refresh_job],
    resources={"chipwatch": ChipwatchSettings(), "dbt": dbt_resource()},
)
