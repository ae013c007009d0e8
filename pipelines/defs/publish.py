"""Publishing the built warehouse atomically (pipelines/lib/publish.py)."""

import logging

import dagster as dg

from ..lib.publish import export_marts, publish
from .dbt import WAREHOUSE_POOL, chipwatch_dbt_assets
from .resources import ChipwatchSettings

log = logging.getLogger("chipwatch.publish")


@dg.asset(group_name="publish", kinds={"duckdb"}, deps=list(chipwatch_dbt_assets.keys), pool=WAREHOUSE_POOL,
          description="$CHIPWATCH_HOME/chipwatch.duckdb: the built warehouse, copied in DuckDB storage v1.0.0 (readable by DuckDB 1.0 to 2.x) and "
                      "renamed into place in one step. Readers never see a partial file.")
def published_warehouse(context: dg.AssetExecutionContext, chipwatch: ChipwatchSettings) -> dg.MaterializeResult:
    settings = chipwatch.load()
    counts = publish(settings.build_db, settings.published_db)
    marts = {k: v for k, v in counts.items() if k.startswith("marts.")}
    log.info("published %s (%d marts)", settings.published_db, len(marts))
    exported = export_marts(settings.published_db, settings.exports_dir)
    for stale in settings.exports_dir.glob("*.parquet"):  # a mart that no longer exists
        if stale.stem not in exported:
            stale.unlink()
    log.info("exported %d marts as Parquet to %s", len(exported), settings.exports_dir)
    return dg.MaterializeResult(metadata={
        "path": str(settings.published_db),
        "source_mode": settings.source,
        "mart_rows": dg.MetadataValue.json(marts),
        "exports": str(settings.exports_dir),
    })
