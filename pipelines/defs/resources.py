"""Resources, bound once per Definitions from the settings (pipelines/definitions.py): the settings themselves and
each source's client, live or sample by the source mode, so no asset reads the environment or picks a client."""

from typing import Any

import dagster as dg

from ..lib.comtrade import ComtradeClient, SampleComtradeClient
from ..lib.config import Settings
from ..lib.epoch import EpochClient, SampleEpochClient
from ..lib.french import FrenchClient, SampleFrenchClient
from ..lib.http import make_session
from ..lib.status import CADENCE
from ..lib.yahoo import SampleYahooClient, YahooClient

# One id ties together the runs of one refresh (its ingestion runs and its build), in the CLI and in schedules alike;
# the source attempts it records carry it (pipelines/lib/refreshes.py). A run launched by hand without it uses its
# run id.
REFRESH_ID_TAG = "chipwatch/refresh_id"

# Each source is stale (in the UI, and for `chipwatch status`) once its last update is older than its cadence.
FRESHNESS = {source: dg.FreshnessPolicy.time_window(fail_window=window) for source, window in CADENCE.items()}
# The marts and the published warehouse are rebuilt whenever any source lands something new: stale once older than
# the most frequent source's cadence (prices: 4 days, so a long weekend is not stale).
WAREHOUSE_FRESHNESS = dg.FreshnessPolicy.time_window(fail_window=min(CADENCE.values()))


def refresh_id(context: dg.AssetExecutionContext) -> str:
    return context.run.tags.get(REFRESH_ID_TAG) or context.run_id


def source_clients(settings: Settings) -> dict[str, Any]:
    """The `yahoo`, `epoch`, `comtrade` and `french` resources: the live clients (base URLs from the settings, a
    fresh HTTP session each, so a source found down is given up for this process's refresh only) or the bundled
    sample."""
    if settings.source == "sample":
        return {
            "yahoo": SampleYahooClient(),
            "epoch": SampleEpochClient(),
            "comtrade": SampleComtradeClient(),
            "french": SampleFrenchClient(),
        }

    def session():
        return make_session(settings.http_retries, settings.http_backoff)

    return {
        "yahoo": YahooClient(settings.yahoo_url, session(), settings.http_timeout),
        "epoch": EpochClient(settings.epoch_url, session(), max(settings.http_timeout, 60.0)),
        "comtrade": ComtradeClient(settings.comtrade_url, session(), max(settings.http_timeout, 60.0)),
        "french": FrenchClient(settings.french_url, session(), max(settings.http_timeout, 60.0)),
    }


class LandingConfig(dg.Config):
    """Run config of the partitioned source assets (yahoo_daily_bars, comtrade_records)."""

    refetch: bool = True
    """True (a backfill, the default when the UI materializes partitions): ask for the partitions' whole range again
    and let it replace what is stored. False (a refresh): land only what is new or may have been revised."""
