"""The raw zone and the parsed Parquet zone. Ingestion writes here and never opens the DuckDB file.

raw/<mode>/<source>/<item>/<UTC stamp>_<status>.body   the bytes exactly as received
raw/<mode>/<source>/<item>/<UTC stamp>_<status>.json   what was asked and when (no secrets)
parquet/<mode>/<dataset>/<part>.parquet                parsed rows, read by dbt as sources

Every write goes to a temporary file in the same folder and is renamed into place, so a crash never leaves a
half-written file under a final name.
"""

import hashlib
import json
import os
import re
import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .errors import ChipwatchError

SAFE_PART = re.compile(r"[^A-Za-z0-9._=-]")


@dataclass
class Payload:
    """What a client received, before any parsing: kept in the raw zone as is."""

    source: str
    item: str
    url: str
    params: dict
    status: int
    body: bytes
    fetched_at: datetime = field(default_factory=lambda: datetime.now(UTC))


def safe_name(item: str) -> str:
    """A file-name-safe form of an item name ('^GSPC' -> '_GSPC'); never a path."""
    name = SAFE_PART.sub("_", item)[:80]
    if name in ("", ".", "..") or name.startswith("."):
        raise ChipwatchError(f"cannot use {item[:40]!r} as a file name")
    return name


def _temp_beside(path: Path) -> tuple[int, str]:
    """A new temporary file beside `path` (opened for writing), created with mode 0666 less the umask, as the final
    file would be: mkstemp's 0600 made every export unreadable to another account, e.g. a BI server's."""
    for _ in range(100):
        tmp = path.parent / f".{path.name}.{os.getpid()}-{secrets.token_hex(6)}.tmp"  # the writer's pid: see below
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), str(tmp)
        except FileExistsError:
            continue
    raise ChipwatchError(f"could not create a temporary file beside {path}")


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _temp_beside(path)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def keep_raw(raw_dir: Path, payload: Payload) -> Path:
    """Store a payload as received, with a sidecar saying what was asked. Returns the body's path."""
    folder = raw_dir / payload.source / safe_name(payload.item)
    stamp = payload.fetched_at.strftime("%Y%m%dT%H%M%S.%fZ")
    body_path = folder / f"{stamp}_{payload.status}.body"
    atomic_write_bytes(body_path, payload.body)
    meta = {
        "source": payload.source,
        "item": payload.item,
        "url": payload.url,  # base URL + path only: keys travel in headers, never in URLs
        "params": payload.params,
        "status": payload.status,
        "fetched_at": payload.fetched_at.isoformat(),
        "bytes": len(payload.body),
        "sha256": hashlib.sha256(payload.body).hexdigest(),
    }
    atomic_write_bytes(body_path.with_suffix(".json"), json.dumps(meta, indent=1).encode())
    return body_path


def atomic_write_with(path: Path, write) -> None:
    """Call write(tmp_path) on a temporary file beside `path`, then rename it into place (never a partial file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _temp_beside(path)
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_parquet(path: Path, table: pa.Table) -> None:
    atomic_write_with(path, lambda tmp: pq.write_table(table, tmp))


def read_parquet(path: Path) -> pa.Table | None:
    return pq.read_table(path) if path.exists() else None


STALE_TEMP_SECONDS = 3600  # a temp file without a writer pid, untouched this long, belongs to no live writer
_TEMP_PID = re.compile(r"\.(\d+)-[0-9a-f]+\.tmp$")


def process_alive(pid: int) -> bool:
    """True while a process with this pid exists (one of another user's counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale_temp_files(folder: Path, older_than_s: float = STALE_TEMP_SECONDS) -> int:
    """Remove temp files a killed process left behind (they never carry a final name): those whose writer (the pid
    in the name) is gone, and nameless-pid ones untouched for `older_than_s`. A run landing at the same time (a
    schedule beside the CLI) keeps the file it is writing."""
    count = 0
    if folder.exists():
        cutoff = time.time() - older_than_s
        for tmp in folder.rglob(".*.tmp"):
            found = _TEMP_PID.search(tmp.name)
            try:
                stale = (not process_alive(int(found[1]))) if found else tmp.stat().st_mtime < cutoff
                if stale:
                    tmp.unlink(missing_ok=True)
                    count += 1
            except FileNotFoundError:
                continue
    return count
