"""The Dagster definitions: `dagster dev`, `dg` and the `chipwatch` CLI all build them with `build_definitions`.

Nothing happens at import. `defs` is loaded lazily by Dagster's tools (source mode and settings from the
environment); the CLI builds its own for the mode it was asked for. The resources (settings, and each source's live or
sample client) are bound once, here, from the settings.

Jobs: `ingest_<source>` lands one source (yahoo, epoch, comtrade, french); `build_and_publish` rebuilds every dbt
model from what has landed (the curated tables are dbt seeds: they go in with every build) and publishes the marts. A
refresh is one ingestion run per source and then one build, tied by a refresh id (pipelines/refresh.py): each source's
schedule starts its ingestion, and the `build_after_ingest` sensor builds after it.
"""

import dagster as dg

from . import refresh
from .defs import comtrade, epoch, french, yahoo
from .defs.calendars import exchange_sessions
from .defs.checks import row_count_checks
from .defs.resources import source_clients
from .lib.config import Settings, load_settings

SCHEDULES = {  # source -> (cron, time zone)
    # one run after the US close covers the Asian sessions too: Shanghai and Hong Kong closed ~13 h earlier that day
    "yahoo": ("30 17 * * 1-5", "America/New_York"),
    "epoch": ("0 7 * * 1", "UTC"),  # Epoch updates its dataset continuously; weekly is enough
    "comtrade": ("0 7 15 * *", "UTC"),  # Comtrade monthly data arrive with a lag of weeks
    "french": ("0 8 * * 1", "UTC"),  # Kenneth French's library updates monthly, on no fixed day: weekly finds it
}


def build_definitions(settings: Settings, with_build: bool = True) -> dg.Definitions:
    """Everything, or (with_build=False) only the ingestion: its assets, checks and jobs, without the dbt project,
    which the CLI's refresh loads only when something landed (dagster-dbt and the manifest take ~2 s to load)."""
    ingestion = {
        "yahoo": [yahoo.daily_bars_asset(yahoo.partitions(settings)), exchange_sessions],
        "epoch": [epoch.epoch_ml_hardware, epoch.epoch_gpu_clusters],
        "comtrade": [comtrade.records_asset(comtrade.partitions(settings)), comtrade.countries],
        "french": [french.french_factors_daily, french.french_momentum_daily],
    }
    ingest_jobs = {
        source: dg.define_asset_job(
            refresh.ingest_job_name(source),
            selection=dg.AssetSelection.assets(*assets),
            executor_def=dg.in_process_executor,
            description=f"Land {source}.",
        )
        for source, assets in ingestion.items()
    }
    ingest_assets = [a for assets in ingestion.values() for a in assets]
    checks = [yahoo.yahoo_all_symbols_landed, *row_count_checks]
    resources = {"settings": settings, **source_clients(settings)}
    if not with_build:
        return dg.Definitions(
            assets=ingest_assets, asset_checks=checks, jobs=list(ingest_jobs.values()), resources=resources
        )

    from .defs import dbt, publish

    project = dbt.prepared_project()
    dbt_assets = dbt.build_assets(project)
    published = publish.published_warehouse_asset(dbt_assets)
    build_job = dg.define_asset_job(
        refresh.BUILD_JOB,
        selection=dg.AssetSelection.assets(dbt_assets, published),
        executor_def=dg.in_process_executor,
        description="Rebuild every model from the data already landed and publish.",
    )
    schedules = [
        refresh.source_schedule(source, ingest_jobs[source], ingestion[source], cron, tz, settings)
        for source, (cron, tz) in SCHEDULES.items()
    ]
    return dg.Definitions(
        assets=[*ingest_assets, dbt_assets, published],
        asset_checks=checks,
        jobs=[build_job, *ingest_jobs.values()],
        schedules=schedules,
        sensors=[
            refresh.build_after_ingest({k for a in ingest_assets for k in a.keys}, build_job, dbt_assets, settings)
        ],
        resources={**resources, "dbt": dbt.dbt_resource(project)},
    )


@dg.definitions
def defs() -> dg.Definitions:
    return build_definitions(load_settings())
