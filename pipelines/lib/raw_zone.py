"""The landed Parquet tables dbt reads as sources, and empty stand-ins for those that have never landed.

On a home's first refresh, a source that fails (a service down, a key missing) has no Parquet yet, and dbt cannot
read a source that does not exist: the whole build would fail and nothing would be published, although the other
sources landed. Before each build, a source that has never landed gets an empty table with its schema, so the
warehouse is built and published with that source's marts empty, and the refresh reports the source as failed
(exit 1). The stand-in is replaced by the first real landing.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from . import (
    calendars,
    comtrade,
    comtrade_landing,
    countries,
    epoch,
    epoch_landing,
    french,
    french_landing,
    landing,
    refreshes,
    yahoo_landing,
)
from .config import Settings

log = logging.getLogger("chipwatch.raw_zone")


def tables(settings: Settings) -> dict[str, tuple[Path, pa.Schema]]:
    """Each dbt source (schema.table, as in dbt_project/models/staging/*/_*__sources.yml): its file and schema.
    A folder (yahoo.daily_bars: one file per symbol) is given by the stand-in file it would hold."""
    return {
        "yahoo.daily_bars": (yahoo_landing.placeholder_path(settings), yahoo_landing.BARS_SCHEMA),
        "epoch.ml_hardware": (epoch_landing.hardware_path(settings), epoch.HARDWARE_SCHEMA),
        "epoch.gpu_clusters": (epoch_landing.clusters_path(settings), epoch.CLUSTERS_SCHEMA),
        "comtrade.records": (comtrade_landing.records_path(settings), comtrade.RECORDS_SCHEMA),
        "french.factors_daily": (french_landing.factors_path(settings), french.FACTORS_SCHEMA),
        "french.momentum_daily": (french_landing.momentum_path(settings), french.MOMENTUM_SCHEMA),
        "calendars.sessions": (calendars.sessions_path(settings), calendars.SESSIONS_SCHEMA),
        "reference.countries": (countries.countries_path(settings), countries.SCHEMA),
        "chipwatch.refreshes": (refreshes.placeholder_path(settings), refreshes.SCHEMA),
    }


def has_rows(path: Path) -> bool:
    """True when a landed file holds data (an empty stand-in does not count as a last good snapshot)."""
    return path.exists() and pq.ParquetFile(path).metadata.num_rows > 0


# Sources read as a folder of files (one per symbol, one per refresh attempt): any file in it, the stand-in included, makes it readable.
FOLDER_TABLES = {"yahoo.daily_bars", "chipwatch.refreshes"}


def _landed(name: str, path: Path) -> bool:
    return any(path.parent.glob("*.parquet")) if name in FOLDER_TABLES else path.exists()


def ensure_sources(settings: Settings) -> list[str]:
    """Write an empty table for every source that has never landed; return their names."""
    made = []
    for name, (path, schema) in tables(settings).items():
        if not _landed(name, path):
            landing.write_parquet(path, schema.empty_table())
            log.warning("%s has never landed: building with an empty table (its marts stay empty until it lands)", name)
            made.append(name)
    return made
