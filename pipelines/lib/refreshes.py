"""The pipeline's own record of each refresh (source mode, what failed), landed as Parquet for dbt.

It becomes marts.meta_refreshes, so anyone reading the warehouse can tell a synthetic sample build from a live one.
"""

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version

import pyarrow as pa

from . import landing
from .config import Settings

SCHEMA = pa.schema([
    ("refresh_id", pa.string()),
    ("started_at", pa.timestamp("us", tz="UTC")),
    ("source_mode", pa.string()),
    ("is_synthetic", pa.bool_()),
    ("items_requested", pa.int32()),
    ("items_landed", pa.int32()),
    ("items_failed", pa.int32()),
    ("failed_items", pa.string()),
    ("failure_messages", pa.string()),
    ("chipwatch_version", pa.string()),
])
KEEP_LAST = 1000


def chipwatch_version() -> str:
    try:
        return version("chipwatch")
    except PackageNotFoundError:
        return "unknown"


def new_refresh_id(now: datetime | None = None) -> str:
    now = now or datetime.now(timezone.utc)
    return now.strftime("%Y%m%dT%H%M%SZ-") + secrets.token_hex(3)


@dataclass
class RefreshRecord:
    refresh_id: str
    started_at: datetime
    source_mode: str
    items_requested: int = 0
    failures: dict[str, str] = field(default_factory=dict)  # "source:item" -> message

    def row(self) -> dict:
        return {
            "refresh_id": self.refresh_id,
            "started_at": self.started_at,
            "source_mode": self.source_mode,
            "is_synthetic": self.source_mode == "sample",
            "items_requested": self.items_requested,
            "items_landed": self.items_requested - len(self.failures),
            "items_failed": len(self.failures),
            "failed_items": ",".join(sorted(self.failures)) or None,
            "failure_messages": "\n".join(self.failures[k] for k in sorted(self.failures)) or None,
            "chipwatch_version": chipwatch_version(),
        }


def path(settings: Settings):
    return settings.parquet_dir / "chipwatch" / "refreshes.parquet"


def record(settings: Settings, rec: RefreshRecord) -> None:
    """Append (or replace, by refresh_id) this refresh's row."""
    p = path(settings)
    rows = [r for r in (landing.read_parquet(p).to_pylist() if p.exists() else []) if r["refresh_id"] != rec.refresh_id]
    rows = (rows + [rec.row()])[-KEEP_LAST:]
    landing.write_parquet(p, pa.Table.from_pylist(rows, schema=SCHEMA))
