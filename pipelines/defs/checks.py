"""Row-count checks: each source asset warns when a refresh stores far fewer rows than the one before it, read from
the refresh record (pipelines/lib/refreshes.py; pipelines/lib/status.py decides)."""

import dagster as dg

from ..lib import refreshes
from ..lib.config import Settings
from ..lib.status import row_count_drop

SOURCE_ASSETS = {
    ("yahoo", "daily_bars"): "yahoo_daily_bars",
    ("epoch", "ml_hardware"): "epoch_ml_hardware",
    ("epoch", "gpu_clusters"): "epoch_gpu_clusters",
    ("comtrade", "records"): "comtrade_records",
    ("french", "factors_daily"): "french_factors_daily",
    ("french", "momentum_daily"): "french_momentum_daily",
}


def row_count_check(source: str, dataset: str, asset: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=asset,
        name=f"{asset}_row_count_holds",
        description="Warns when this refresh stored fewer than half the rows of the previous one.",
    )
    def _check(settings: dg.ResourceParam[Settings]) -> dg.AssetCheckResult:
        counts = [r["rows_stored"] for r in refreshes.latest_landed(settings, source, dataset)]
        previous, current = ([None, None] + counts)[-2:]
        problem = row_count_drop(previous, current)
        return dg.AssetCheckResult(
            passed=problem is None,
            severity=dg.AssetCheckSeverity.WARN,
            description=problem,
            metadata={"rows_now": current or 0, "rows_before": previous or 0},
        )

    return _check


row_count_checks = [row_count_check(source, dataset, asset) for (source, dataset), asset in SOURCE_ASSETS.items()]
