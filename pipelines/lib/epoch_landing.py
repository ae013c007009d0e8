"""Landing Epoch AI's datasets: fetch, keep the raw file, parse (pipelines/lib/epoch.py), replace the
Parquet snapshot; on any error the last good snapshot stays."""

from pathlib import Path

import pyarrow as pa

from . import landing
from .epoch import CLUSTERS_SCHEMA, HARDWARE_SCHEMA, ParsedHardware, parse_clusters, parse_hardware


def hardware_path(settings) -> Path:
    return settings.parquet_dir / "epoch" / "ml_hardware.parquet"


def land_hardware(settings, client) -> ParsedHardware:
    """Fetch, keep the raw file, parse, and replace the Parquet snapshot. On any error the previous snapshot
    (the last good one) stays as it was and the error propagates, naming the source and the problem."""
    payload = client.fetch_hardware()
    landing.keep_raw(settings.raw_dir, payload)
    parsed = parse_hardware(payload.body, payload.status)
    landing.write_parquet(hardware_path(settings), pa.Table.from_pylist(parsed.rows, schema=HARDWARE_SCHEMA))
    return parsed


def clusters_path(settings) -> Path:
    return settings.parquet_dir / "epoch" / "gpu_clusters.parquet"


def land_clusters(settings, client) -> ParsedHardware:
    """The GPU clusters file, landed like the hardware file: raw kept first, then parsed, then the snapshot replaced;
    on any error the last good snapshot stays."""
    payload = client.fetch_clusters()
    landing.keep_raw(settings.raw_dir, payload)
    parsed = parse_clusters(payload.body, payload.status)
    landing.write_parquet(clusters_path(settings), pa.Table.from_pylist(parsed.rows, schema=CLUSTERS_SCHEMA))
    return parsed
