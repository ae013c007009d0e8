"""Per-source refresh status: what each ingestion attempt did, kept beside the data it describes.

$CHIPWATCH_HOME/status/<mode>/<source>.json holds the last attempt and the last success of each source, so
`chipwatch status` (and cron users) can tell fresh from stale without a Dagster instance. Cadences are the sources'
refresh schedules plus slack; a source older than its cadence is stale.
"""

import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from . import landing

SOURCES = ("prices", "chips", "trade")
CADENCE = {  # how old a source may be before it is stale
    "prices": timedelta(days=4),  # weekdays after the US close; a long weekend is not stale
    "chips": timedelta(days=8),  # weekly
    "trade": timedelta(days=35),  # monthly
}


@dataclass
class SourceStatus:
    source: str
    last_attempt_at: datetime | None = None
    last_attempt_ok: bool | None = None
    last_success_at: datetime | None = None
    rows: int | None = None
    items_failed: int = 0
    error: str | None = None

    def age(self, now: datetime) -> timedelta | None:
        return None if self.last_success_at is None else now - self.last_success_at

    def is_stale(self, now: datetime) -> bool:
        age = self.age(now)
        return age is None or age > CADENCE[self.source]


def _path(settings, source: str):
    return settings.home / "status" / settings.source / f"{source}.json"


def read(settings, source: str) -> SourceStatus:
    path = _path(settings, source)
    if not path.exists():
        return SourceStatus(source)
    doc = json.loads(path.read_text())
    parse = lambda v: datetime.fromisoformat(v) if v else None  # noqa: E731
    return SourceStatus(source, parse(doc.get("last_attempt_at")), doc.get("last_attempt_ok"),
                        parse(doc.get("last_success_at")), doc.get("rows"), doc.get("items_failed", 0),
                        doc.get("error"))


def record(settings, source: str, ok: bool, rows: int | None = None, items_failed: int = 0,
           error: str | None = None, now: datetime | None = None) -> SourceStatus:
    """Record one attempt. A success (even with some items failed) moves last_success_at; a failure keeps it."""
    now = now or datetime.now(timezone.utc)
    previous = read(settings, source)
    status = SourceStatus(
        source, now, ok, now if ok else previous.last_success_at,
        rows if ok else previous.rows, items_failed, error,
    )
    doc = {
        "source": source, "mode": settings.source,
        "last_attempt_at": status.last_attempt_at.isoformat(), "last_attempt_ok": ok,
        "last_success_at": status.last_success_at.isoformat() if status.last_success_at else None,
        "rows": status.rows, "items_failed": items_failed, "error": error,
    }
    landing.atomic_write_bytes(_path(settings, source), json.dumps(doc, indent=1).encode())
    return status


ROW_DROP_WARN_SHARE = 0.5  # a refresh that stores less than half the rows of the one before is worth a look


def row_count_drop(previous: int | None, current: int | None, min_share: float = ROW_DROP_WARN_SHARE) -> str | None:
    """Why a source's stored row count looks wrong after a refresh, or None: fewer than `min_share` of the rows the
    previous successful refresh stored (a service that answered with a fraction of the data, a renamed symbol)."""
    if previous is None or current is None or previous == 0:
        return None
    if current < min_share * previous:
        return (f"stored {current:,} rows, {current / previous:.0%} of the {previous:,} the previous refresh stored "
                f"(warns below {min_share:.0%})")
    return None
