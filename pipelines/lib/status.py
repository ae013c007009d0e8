"""Per-source freshness, derived from the refresh record (pipelines/lib/refreshes.py): the last attempt and the last
success of each source, so `chipwatch status` (and cron users) can tell fresh from stale without a Dagster instance.
Cadences are the sources' refresh schedules plus slack; a source older than its cadence is stale.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from . import refreshes

SOURCES = ("yahoo", "epoch", "comtrade", "french")
DATASETS = (
    "yahoo.daily_bars",
    "epoch.ml_hardware",
    "epoch.gpu_clusters",
    "comtrade.records",  # as in dbt sources
    "french.factors_daily",
    "french.momentum_daily",
)
CADENCE = {  # how old a source may be before it is stale
    "yahoo": timedelta(days=4),  # weekdays after the US close; a long weekend is not stale
    "epoch": timedelta(days=8),  # weekly
    "comtrade": timedelta(days=35),  # monthly
    "french": timedelta(days=40),  # monthly, on no fixed day and with a lag (checked weekly)
}


@dataclass
class SourceStatus:
    dataset: str  # source.dataset
    last_attempt_at: datetime | None = None
    last_attempt_ok: bool | None = None
    last_success_at: datetime | None = None
    rows: int | None = None
    items_failed: int = 0
    error: str | None = None

    def age(self, now: datetime) -> timedelta | None:
        """How long ago the last success was; negative when it was recorded after `now` (the clock has moved back
        since: see in_future; `chipwatch status` shows "future", never a negative age)."""
        return None if self.last_success_at is None else now - self.last_success_at

    def in_future(self, now: datetime) -> bool:
        """The last success is recorded later than `now`: the clock moved back (it is not stale for that)."""
        return self.last_success_at is not None and self.last_success_at > now

    def is_stale(self, now: datetime) -> bool:
        age = self.age(now)
        return age is None or age > CADENCE[self.source]

    @property
    def source(self) -> str:
        return self.dataset.split(".")[0]


def read_all(settings) -> dict[str, SourceStatus]:
    """Each dataset's status from the recorded attempts: a success (even with some items failed) moves
    last_success_at and rows; a failure only moves the last attempt."""
    found = {name: SourceStatus(name) for name in DATASETS}
    for row in refreshes.read(settings):  # oldest first
        st = found.get(f"{row['source']}.{row['dataset']}")
        if st is None:
            continue
        st.last_attempt_at, st.last_attempt_ok = row["finished_at"], row["landed"]
        st.items_failed, st.error = row["items_failed"], row["error"] or row["failure_messages"]
        if row["landed"]:
            st.last_success_at, st.rows = row["finished_at"], row["rows_stored"]
    return found


ROW_DROP_WARN_SHARE = 0.5  # a refresh that stores less than half the rows of the one before is worth a look


def row_count_drop(previous: int | None, current: int | None, min_share: float = ROW_DROP_WARN_SHARE) -> str | None:
    """Why a source's stored row count looks wrong after a refresh, or None: fewer than `min_share` of the rows the
    previous successful refresh stored (a service that answered with a fraction of the data, a renamed symbol)."""
    if previous is None or current is None or previous == 0:
        return None
    if current < min_share * previous:
        return (
            f"stored {current:,} rows, {current / previous:.0%} of the {previous:,} the previous refresh stored "
            f"(warns below {min_share:.0%})"
        )
    return None
