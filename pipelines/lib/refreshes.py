"""The one record of every refresh: what each source's attempt did, landed as Parquet beside the data.

Each ingestion attempt (one dataset of a source in one refresh) writes one small file, `parquet/<mode>/chipwatch/
refreshes/<refresh_id>--<source>--<dataset>.parquet`, and never touches another: runs that land different sources at
the same time (a schedule and the CLI) cannot lose each other's rows. Everything else is derived from these files:
`chipwatch status` (per dataset: last attempt, last success, rows; `pipelines/lib/status.py`), the refresh summary the
CLI prints, the row-count checks, and
`marts.meta_refreshes` (dbt reads the folder), so anyone reading the warehouse can tell a synthetic sample build from
a live one.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from . import landing
from .config import Settings

SCHEMA = pa.schema(
    [
        ("refresh_id", pa.string()),
        ("source", pa.string()),
        ("dataset", pa.string()),
        ("source_mode", pa.string()),
        ("is_synthetic", pa.bool_()),
        ("started_at", pa.timestamp("us", tz="UTC")),
        ("finished_at", pa.timestamp("us", tz="UTC")),
        ("landed", pa.bool_()),
        ("rows_stored", pa.int64()),
        ("items_requested", pa.int32()),
        ("items_failed", pa.int32()),
        ("failed_items", pa.string()),
        ("failure_messages", pa.string()),
        ("error", pa.string()),
        ("chipwatch_version", pa.string()),
    ]
)
KEEP_LAST = 3000  # attempt files kept per mode (a year of daily refreshes of every source, several times over)
PLACEHOLDER = "none-recorded-yet.parquet"  # the empty stand-in read before any attempt (no "_": Spark skips those)


def chipwatch_version() -> str:
    try:
        return version("chipwatch")
    except PackageNotFoundError:
        return "unknown"


def new_refresh_id(now: datetime | None = None) -> str:
    now = now or datetime.now(UTC)
    return now.strftime("%Y%m%dT%H%M%SZ-") + secrets.token_hex(3)


@dataclass
class Attempt:
    """One dataset's part of one refresh (`yahoo.daily_bars`, `epoch.gpu_clusters`, ...: the dbt source it lands).
    `landed` is true when it stored anything new or confirmed (some items may still have failed: `failures`); false
    when it failed whole (`error` says why)."""

    refresh_id: str
    source: str
    dataset: str
    source_mode: str
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    finished_at: datetime | None = None
    landed: bool = False
    rows_stored: int | None = None
    items_requested: int = 0
    failures: dict[str, str] = field(default_factory=dict)  # "source:item" -> message
    error: str | None = None

    def succeed(self, rows_stored: int, items_requested: int, failures: dict[str, str] | None = None) -> Attempt:
        self.landed, self.rows_stored, self.items_requested = True, rows_stored, items_requested
        self.failures = dict(failures or {})
        return self

    def fail(self, error: str, items_requested: int | None = None, failures: dict[str, str] | None = None) -> Attempt:
        self.landed, self.error = False, error
        if items_requested is not None:
            self.items_requested = items_requested
        self.failures = dict(failures or {})
        return self

    def row(self) -> dict:
        from .redaction import redact  # a key echoed by a service is never stored

        return {
            "refresh_id": self.refresh_id,
            "source": self.source,
            "dataset": self.dataset,
            "source_mode": self.source_mode,
            "is_synthetic": self.source_mode == "sample",
            "started_at": self.started_at,
            "finished_at": self.finished_at or datetime.now(UTC),
            "landed": self.landed,
            "rows_stored": self.rows_stored,
            "items_requested": self.items_requested,
            # a source that failed whole without naming items (a service down) failed every item it asked for
            "items_failed": len(self.failures) or (0 if self.landed else self.items_requested),
            "failed_items": ",".join(sorted(self.failures)) or None,
            "failure_messages": redact("\n".join(self.failures[k] for k in sorted(self.failures)) or None),
            "error": redact(self.error),
            "chipwatch_version": chipwatch_version(),
        }


def folder(settings: Settings) -> Path:
    return settings.parquet_dir / "chipwatch" / "refreshes"


def placeholder_path(settings: Settings) -> Path:
    return folder(settings) / PLACEHOLDER


def record(settings: Settings, attempt: Attempt) -> Path:
    """Write this attempt's file (replacing an earlier write of the same attempt) and prune the oldest beyond
    KEEP_LAST. File names start with the refresh id, which starts with its UTC start time, so they sort by age."""
    attempt.finished_at = attempt.finished_at or datetime.now(UTC)
    path = folder(settings) / f"{attempt.refresh_id}--{attempt.source}--{attempt.dataset}.parquet"
    landing.write_parquet(path, pa.Table.from_pylist([attempt.row()], schema=SCHEMA))
    placeholder_path(settings).unlink(missing_ok=True)
    files = _files(settings)
    for old in files[: max(0, len(files) - KEEP_LAST)]:
        old.unlink(missing_ok=True)
    return path


def _files(settings: Settings) -> list[Path]:
    here = folder(settings)
    return sorted(p for p in here.glob("*--*.parquet")) if here.is_dir() else []


def latest_landed(settings: Settings, source: str, dataset: str, n: int = 2) -> list[dict]:
    """The last `n` attempts of one dataset that landed, oldest first, opening only that dataset's newest files."""
    found = []
    for path in reversed(_files(settings)):
        if path.name.endswith(f"--{source}--{dataset}.parquet"):
            row = pq.read_table(path).to_pylist()[0]
            if row["landed"]:
                found.append(row)
                if len(found) == n:
                    break
    return found[::-1]


def read(settings: Settings, refresh_id: str | None = None) -> list[dict]:
    """Every recorded attempt (of one refresh, when `refresh_id` is given), oldest first."""
    rows = []
    for path in _files(settings):
        if refresh_id is None or path.name.startswith(f"{refresh_id}--"):
            # every field of SCHEMA, None where an older file lacks one
            rows.extend({name: row.get(name) for name in SCHEMA.names} for row in pq.read_table(path).to_pylist())
    return sorted(rows, key=lambda r: (r["finished_at"], r["source"], r["dataset"] or ""))


@contextmanager
def recording(settings: Settings, refresh_id: str, source: str, dataset: str) -> Iterator[Attempt]:
    """Yield this dataset's attempt and record it however the block ends: an exception the block did not turn into a
    failure itself (attempt.fail) is recorded as the source's error, then raised."""
    attempt = Attempt(refresh_id, source, dataset, settings.source)
    try:
        yield attempt
    except Exception as exc:
        if attempt.error is None:
            attempt.fail(f"{source}: {exc}" if str(exc) else f"{source}: {type(exc).__name__}")
        raise
    finally:
        record(settings, attempt)
