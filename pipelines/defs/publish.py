"""Publishing the built warehouse atomically (pipelines/lib/publish.py)."""

import logging

import dagster as dg

from ..lib.publish import publish
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
    return dg.MaterializeResult(metadata={
        "path": str(settings.published_db),
        "source_mode": settings.source,
        "mart_rows": dg.MetadataValue.json(marts),
    })
