"""Row-count checks: each source asset warns when a refresh stores far fewer rows than the one before it
(pipelines/lib/status.py decides; this only reads the two latest materializations)."""

import dagster as dg

from ..lib.status import row_count_drop
from .chips import epoch_ml_hardware
from .prices import yahoo_daily_bars
from .trade import comtrade_records

ROW_COUNT_METADATA = {yahoo_daily_bars: "rows_stored", epoch_ml_hardware: "rows", comtrade_records: "rows"}


def row_count_check(asset: dg.AssetsDefinition, metadata_key: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(asset=asset, name=f"{asset.key.path[-1]}_row_count_holds",
                    description="Warns when this refresh stored fewer than half the rows of the previous one.")
    def _check(context: dg.AssetCheckExecutionContext) -> dg.AssetCheckResult:
        records = context.instance.fetch_materializations(asset.key, limit=2).records
        counts = [r.asset_materialization.metadata[metadata_key].value for r in records
                  if r.asset_materialization and metadata_key in r.asset_materialization.metadata]
        current, previous = (counts + [None, None])[:2]
        problem = row_count_drop(previous, current)
        return dg.AssetCheckResult(passed=problem is None, severity=dg.AssetCheckSeverity.WARN, description=problem,
                                   metadata={"rows_now": current or 0, "rows_before": previous or 0})
    return _check


row_count_checks = [row_count_check(asset, key) for asset, key in ROW_COUNT_METADATA.items()]
