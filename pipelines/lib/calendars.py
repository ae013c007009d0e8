"""Exchange trading sessions from exchange_calendars (a kept library, not a hand-made calendar).

The event study's t0 is the first session on a listing's exchange that closes after the announcement, so the
table carries each session's close as a UTC instant (half days and Hong Kong's lunch break included).
Shenzhen has no calendar of its own there: it keeps Shanghai's holidays and hours (XSHG).
"""

import csv
from datetime import date, timedelta
from pathlib import Path

import exchange_calendars as xc
import pyarrow as pa

from .yahoo_landing import LISTINGS_SEED

SESSIONS_SCHEMA = pa.schema(
    [
        ("trading_calendar", pa.string()),
        ("session_date", pa.date32()),
        ("open_at", pa.timestamp("us", tz="UTC")),
        ("close_at", pa.timestamp("us", tz="UTC")),
    ]
)


def sessions_path(settings) -> Path:
    return settings.parquet_dir / "calendars" / "sessions.parquet"


def calendar_codes(seed: Path = LISTINGS_SEED) -> list[str]:
    with seed.open(newline="") as fh:
        return sorted({row["trading_calendar"] for row in csv.DictReader(fh)})


def sessions_table(codes: list[str], start: date, end: date) -> pa.Table:
    parts = []
    for code in codes:
        cal = xc.get_calendar(code)
        lo = max(start, cal.first_session.date())
        hi = min(end, cal.last_session.date())
        opens = cal.opens[str(lo) : str(hi)]
        closes = cal.closes[str(lo) : str(hi)]
        parts.append(
            pa.table(
                {
                    "trading_calendar": [code] * len(closes),
                    "session_date": pa.array([d.date() for d in closes.index], pa.date32()),
                    "open_at": pa.array(opens.dt.to_pydatetime(), pa.timestamp("us", tz="UTC")),
                    "close_at": pa.array(closes.dt.to_pydatetime(), pa.timestamp("us", tz="UTC")),
                },
                schema=SESSIONS_SCHEMA,
            )
        )
    return pa.concat_tables(parts)


def default_range(start: date, today: date) -> tuple[date, date]:
    """From a year before the price history starts to a year ahead (events can be dated up to today)."""
    return start - timedelta(days=366), today + timedelta(days=366)
