"""Landing Epoch AI's hardware dataset: fetch, keep the raw file, parse (pipelines/lib/epoch.py), replace the
Parquet snapshot; on any error the last good snapshot stays."""

from pathlib import Path

import pyarrow as pa

from . import landing
from .epoch import HARDWARE_SCHEMA, ParsedHardware, parse_hardware


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
