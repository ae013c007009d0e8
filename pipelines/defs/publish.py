"""Publishing the built warehouse atomically, and recording what was published (pipelines/lib/publish.py)."""

import logging

import dagster as dg

from ..lib.build_state import built_by
from ..lib.config import Settings
from ..lib.locks import build_lock
from ..lib.publish import publish_lagging
from .resources import WAREHOUSE_FRESHNESS

log = logging.getLogger("chipwatch.publish")


def built_in_this_run(context: dg.AssetExecutionContext, dbt_keys: set[dg.AssetKey]) -> bool:
    """True when this run also builds (a refresh's build, or the whole job from the UI); False for a run that only
    publishes (the published_warehouse asset on its own: a refresh bringing a lagging publish up to the build)."""
    selection = context.run.asset_selection
    return selection is None or bool(set(selection) & dbt_keys)


def contracted_marts(dbt_assets: dg.AssetsDefinition) -> dict[str, list[str]]:
    """{mart: [columns]} of every model of the marts schema whose contract is enforced, from the dbt manifest."""
    from dagster_dbt.asset_utils import get_manifest_and_translator_from_dbt_assets

    manifest, _, _ = get_manifest_and_translator_from_dbt_assets([dbt_assets])
    return {
        node["alias"]: list(node["columns"])
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
        and node["config"].get("schema") == "marts"
        and node["config"].get("contract", {}).get("enforced")
    }


def published_warehouse_asset(dbt_assets: dg.AssetsDefinition) -> dg.AssetsDefinition:
    dbt_keys = set(dbt_assets.keys)
    expected = contracted_marts(dbt_assets)

    @dg.asset(
        name="published_warehouse",
        group_name="publish",
        kinds={"duckdb"},
        freshness_policy=WAREHOUSE_FRESHNESS,
        deps=list(dbt_assets.keys),
        description="$CHIPWATCH_HOME/chipwatch.duckdb: the marts of the built warehouse (and their comments), "
        "copied in DuckDB storage v1.0.0 (readable by DuckDB 1.0 to 2.x), checked to hold every "
        "contracted mart with its contracted columns, and renamed into place in one step, so readers "
        "never see a partial file; then one Parquet file per mart in exports/ "
        "and, with CHIPWATCH_REPORT=1, the claims report report.html. published.json records which "
        "build each of them holds; materialized on its own, this asset redoes whichever lags the "
        "last complete build.",
    )
    def published_warehouse(
        context: dg.AssetExecutionContext, settings: dg.ResourceParam[Settings]
    ) -> dg.MaterializeResult:
        with build_lock(settings.home):
            holder = built_by(settings)
            if not holder:
                raise dg.Failure(
                    "the build database holds no complete build: nothing to publish (the previous "
                    "published warehouse is unchanged)"
                )
            if built_in_this_run(context, dbt_keys) and holder != context.run_id:
                raise dg.Failure(
                    f"the build database now holds the build of run {holder}, not this run's: not "
                    "publishing it (the run that built it publishes its own)"
                )
            report = None
            if settings.write_report:
                from ..lib import report as html_report  # plotly is imported only when a report is asked for

                report = (settings.report_path, html_report.write)
            outcome = publish_lagging(
                settings.build_db,
                holder,
                settings.publish_record,
                settings.published_db,
                settings.exports_dir,
                report,
                expected,
            )
        log.info("published build %s: %s", holder, ", ".join(outcome["done"]) or "nothing lagged")
        return dg.MaterializeResult(
            metadata={
                "build": holder,
                "steps_redone": ", ".join(outcome["done"]) or "none (every step was current)",
                "path": str(settings.published_db),
                "source_mode": settings.source,
                "mart_rows": dg.MetadataValue.json({f"marts.{k}": v for k, v in outcome["marts"].items()}),
                "exports": str(settings.exports_dir),
                "report": str(settings.report_path) if settings.write_report else "not asked (CHIPWATCH_REPORT unset)",
            }
        )

    return published_warehouse
