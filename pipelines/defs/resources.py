"""Settings as a Dagster resource: a run can override the source mode (sample|live) and ask for a backfill through
run config."""

from datetime import date

import dagster as dg

from ..lib.config import Settings, load_settings
from ..lib.errors import ConfigError
from ..lib.status import CADENCE

# Each source is stale (in the UI, and for `chipwatch status`) once its last update is older than its cadence.
FRESHNESS = {source: dg.FreshnessPolicy.time_window(fail_window=window) for source, window in CADENCE.items()}


class ChipwatchSettings(dg.ConfigurableResource):
    """Empty `source` means CHIPWATCH_SOURCE from the environment (default sample). `backfill_start` and
    `backfill_end` (YYYY-MM-DD), when set, make the ingestion assets fetch exactly that range again."""

    source: str = ""
    backfill_start: str = ""
    backfill_end: str = ""

    def load(self) -> Settings:
        return load_settings(self.source or None)

    def backfill(self) -> tuple[date, date] | None:
        if not self.backfill_start and not self.backfill_end:
            return None
        try:
            start, end = date.fromisoformat(self.backfill_start), date.fromisoformat(self.backfill_end)
        except ValueError:
            raise ConfigError(f"backfill dates must be YYYY-MM-DD, got {self.backfill_start[:20]!r} and "
                              f"{self.backfill_end[:20]!r}") from None
        if start > end:
            raise ConfigError(f"backfill start {start} is after its end {end}")
        return start, end
