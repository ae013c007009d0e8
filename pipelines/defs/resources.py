"""Settings as a Dagster resource: a run can override the source mode (sample|live) through run config."""

import dagster as dg

from ..lib.config import Settings, load_settings


class ChipwatchSettings(dg.ConfigurableResource):
    """Empty `source` means CHIPWATCH_SOURCE from the environment (default sample)."""

    source: str = ""

    def load(self) -> Settings:
        return load_settings(self.source or None)
