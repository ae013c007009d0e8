"""Landing Kenneth French's daily factor files: fetch, keep the raw zip, parse (pipelines/lib/french.py), replace the
Parquet snapshot; on any error the last good snapshot stays."""

from pathlib import Path

import pyarrow as pa

from . import landing
from .french import FACTORS, FACTORS_SCHEMA, MOMENTUM, MOMENTUM_SCHEMA, Dataset, ParsedFactors, parse


def factors_path(settings) -> Path:
    return settings.parquet_dir / "french" / "factors_daily.parquet"


def momentum_path(settings) -> Path:
    return settings.parquet_dir / "french" / "momentum_daily.parquet"


def _land(settings, payload, dataset: Dataset, path: Path, schema: pa.Schema) -> ParsedFactors:
    landing.keep_raw(settings.raw_dir, payload)
    parsed = parse(dataset, payload.body, payload.status)
    landing.write_parquet(path, pa.Table.from_pylist(parsed.rows, schema=schema))
    return parsed


def land_factors(settings, client) -> ParsedFactors:
    """Fetch the daily research factors (Mkt-RF, SMB, HML, RF), keep the zip as received, parse, and replace the
    Parquet snapshot. On any error the previous snapshot (the last good one) stays as it was and the error propagates,
    naming the source and the problem."""
    return _land(settings, client.fetch_factors(), FACTORS, factors_path(settings), FACTORS_SCHEMA)


def land_momentum(settings, client) -> ParsedFactors:
    """The daily momentum factor (Mom), landed like the research factors: raw kept first, then parsed, then the
    snapshot replaced; on any error the last good snapshot stays."""
    return _land(settings, client.fetch_momentum(), MOMENTUM, momentum_path(settings), MOMENTUM_SCHEMA)
