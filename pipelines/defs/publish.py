"""Publishing the built warehouse atomically (pipelines/lib/publish.py)."""

import logging

import dagster as dg

from ..lib.config import Settings
from ..lib.locks import build_lock
from ..lib.publish import publish_with_exports
from .dbt import BUILT_BY

log = logging.getLogger("chipwatch.publish")


def published_warehouse_asset(dbt_assets: dg.AssetsDefinition) -> dg.AssetsDefinition:
    @dg.asset(name="published_warehouse", group_name="publish", kinds={"duckdb"}, deps=list(dbt_assets.keys),
              description="$CHIPWATCH_HOME/chipwatch.duckdb: the marts of the built warehouse (and their comments), "
                          "copied in DuckDB storage v1.0.0 (readable by DuckDB 1.0 to 2.x) and renamed into place in "
                          "one step, so readers never see a partial file; then one Parquet file per mart in exports/ "
                          "and, with CHIPWATCH_REPORT=1, the claims report report.html.")
    def published_warehouse(context: dg.AssetExecutionContext,
                            settings: dg.ResourceParam[Settings]) -> dg.MaterializeResult:
        with build_lock(settings.home):
            built_by = settings.build_dir / BUILT_BY
            holder = built_by.read_text().strip() if built_by.exists() else None
            if holder != context.run_id:
                what = f"the build of run {holder}" if holder else "no complete build"
                raise dg.Failure(f"the build database now holds {what}, not this run's: not publishing it "
                                 "(the run that built it publishes its own)")
            counts, exported = publish_with_exports(settings.build_db, settings.published_db, settings.exports_dir)
        marts = {k: v for k, v in counts.items() if k.startswith("marts.")}
        log.info("published %s (%d marts)", settings.published_db, len(marts))
        log.info("exported %d marts as Parquet to %s", len(exported), settings.exports_dir)
        report_note = "not asked (CHIPWATCH_REPORT unset)"
        if settings.write_report:  # the warehouse is published either way: a failed report is logged, not fatal
            from ..lib import report  # plotly is imported only when a report is asked for

            try:
                report_note = str(report.write(settings.published_db, settings.report_path))
                log.info("wrote the claims report %s", report_note)
            except Exception as exc:  # noqa: BLE001 - any failure of the optional report must not undo a publish
                report_note = f"failed: {type(exc).__name__}: {exc}"[:300]
                log.error("the claims report was not written: %s", report_note)
        return dg.MaterializeResult(metadata={
            "report": report_note,
            "path": str(settings.published_db),
            "source_mode": settings.source,
            "mart_rows": dg.MetadataValue.json(marts),
            "exports": str(settings.exports_dir),
        })

    return published_warehouse
