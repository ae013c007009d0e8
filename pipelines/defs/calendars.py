"""Dagster wiring for exchange trading sessions (pipelines/lib/calendars.py)."""

from datetime import date

import dagster as dg

from ..lib import calendars, landing
from ..lib.config import Settings


@dg.asset(
    group_name="ingestion",
    kinds={"python", "parquet"},
    description="Trading sessions with UTC open and close for each listing's exchange, from exchange_calendars.",
)
def exchange_sessions(settings: dg.ResourceParam[Settings]) -> dg.MaterializeResult:
    start, end = calendars.default_range(settings.start, date.today())
    table = calendars.sessions_table(calendars.calendar_codes(), start, end)
    landing.write_parquet(calendars.sessions_path(settings), table)
    return dg.MaterializeResult(metadata={"sessions": table.num_rows})
