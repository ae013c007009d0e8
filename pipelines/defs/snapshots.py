"""Landing a source that arrives as whole files (Epoch's datasets, Kenneth French's factor files): one file is one
snapshot, recorded as one attempt of the refresh; on failure the last good snapshot stays and the asset fails."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import dagster as dg

from ..lib import raw_zone, refreshes
from ..lib.config import Settings
from ..lib.errors import ChipwatchError
from .resources import refresh_id


def land_snapshot(
    context: dg.AssetExecutionContext,
    settings: Settings,
    source: str,
    dataset: str,
    land: Callable[[], Any],
    path: Path,
) -> Any:
    """Run `land` (fetch, keep the raw file, parse, replace the snapshot at `path`) as this refresh's attempt at
    `source`.`dataset`; return what it parsed. A ChipwatchError fails the asset, saying whether a last good snapshot
    stays."""
    with refreshes.recording(settings, refresh_id(context), source, dataset) as attempt:
        try:
            parsed = land()
        except ChipwatchError as exc:
            message = f"{exc}{' (the last good snapshot stays)' if raw_zone.has_rows(path) else ''}"
            attempt.fail(message, 1, {f"{source}:{dataset}": message})
            raise dg.Failure(message) from exc
        attempt.succeed(len(parsed.rows), 1)
    return parsed


def snapshot_result(settings: Settings, rows: int, warnings: dict[str, str], **metadata) -> dg.MaterializeResult:
    """The metadata every snapshot asset reports, and any of its own."""
    return dg.MaterializeResult(
        metadata={
            "source_mode": settings.source,
            "rows_stored": rows,
            "items_requested": 1,
            **metadata,
            "failed": dg.MetadataValue.json({}),
            "warnings": dg.MetadataValue.json(warnings),
        }
    )
