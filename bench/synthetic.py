"""A deterministic synthetic market for benchmarks: N listings x D trading days of bars and M events, written where
the real pipeline keeps its data (the landed Parquet zone and the curated seed CSVs), so the same dbt models run on it.

Prices follow a market model: a benchmark index with daily return ~ N(0.0003, 0.01), each listing
r = alpha + beta * r_m + e with its own alpha, beta and noise; Kenneth French's factors are the benchmark's excess
return and three noise series. Sessions are the NYSE's (exchange_calendars), the
last D of them up to 2025-12-31. Events are announced at 12:00 New York on evenly spaced sessions with a full
estimation window before them and a full event window after.
"""

import csv
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import exchange_calendars as xc
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.lib.calendars import SESSIONS_SCHEMA
from pipelines.lib.french import FACTORS_SCHEMA, MOMENTUM_SCHEMA
from pipelines.lib.yahoo_landing import BARS_SCHEMA

BENCHMARK = "BENCH.IDX"
END = "2025-12-31"
SEGMENTS = ("ai_accelerators", "equipment", "foundry", "memory", "networking_custom_silicon")
LISTING_COLUMNS = [
    "symbol",
    "name",
    "country_iso3",
    "exchange",
    "trading_calendar",
    "market_region",
    "segment",
    "currency",
    "benchmark_symbol",
    "is_benchmark",
    "instrument_type",
    "source_url",
]
EVENT_COLUMNS = [
    "event_id",
    "announced_on",
    "announced_time_local",
    "announced_tz",
    "time_precision",
    "timing_note",
    "title",
    "category",
    "announcer",
    "confidence",
    "source_name",
    "source_url",
    "time_source_name",
    "time_source_url",
    "rule_version",
]
SYMBOLS_PER_FILE = 250
MAX_EXTRA_DAYS = 5  # sessions kept in reserve after the universe for incremental loads


@dataclass(frozen=True)
class Scale:
    name: str
    listings: int
    days: int
    events: int

    @property
    def price_rows(self) -> int:
        return (self.listings + 1) * self.days


SCALES = {
    "tiny": Scale("tiny", 12, 420, 3),
    "small": Scale("small", 100, 1100, 20),
    "medium": Scale("medium", 500, 2500, 50),
    "large": Scale("large", 5000, 2500, 50),
}


def sessions(days: int) -> list:
    cal = xc.get_calendar("XNYS")
    closes = cal.closes[:END]
    return list(closes.index[-days:]), closes


SYNTHETIC_FAMILIES = ["us_tightening", "us_easing", "china_countermeasure"]  # names the seed's test accepts
GROUP_MEMBERS = 10


def event_sessions(days: int, events: int) -> list[int]:
    """Evenly spaced session indices with 250 sessions before each and 10 after."""
    first, last = 260, days - 11
    if last < first:
        raise ValueError(f"{days} trading days are too few for a 250-day estimation window")
    return sorted({int(round(x)) for x in np.linspace(first, last, events)})


def generate(scale: Scale, parquet_dir: Path, seeds_dir: Path, extra_days: int = 0, seed: int = 7) -> dict:
    """Write the universe: `scale.days` sessions. With `extra_days` > 0, write only the `extra_days` sessions that
    follow them (an incremental load), as separate Parquet parts. Returns counts."""
    rng = np.random.default_rng(seed)
    days, closes = sessions(scale.days + MAX_EXTRA_DAYS)  # the same series whether or not more days are written
    n = scale.listings
    alphas = rng.normal(0.0002, 0.0004, n)
    betas = rng.uniform(0.5, 1.8, n)
    noise = rng.uniform(0.01, 0.03, n)
    rm = rng.normal(0.0003, 0.01, len(days))
    eps = rng.standard_normal((n, len(days))) * noise[:, None]
    returns = alphas[:, None] + betas[:, None] * rm[None, :] + eps
    symbols = [f"S{i:05d}" for i in range(n)]
    fetched = datetime(2026, 1, 1, tzinfo=UTC)
    lo, hi = (scale.days, scale.days + extra_days) if extra_days else (0, scale.days)
    bars_dir = parquet_dir / "yahoo" / "daily_bars"
    bars_dir.mkdir(parents=True, exist_ok=True)
    dates = np.array([d.date() for d in days], dtype="datetime64[D]")

    def write(part: str, syms: list[str], rets: np.ndarray) -> int:
        prices = 100 * np.cumprod(1 + rets, axis=1)
        k = len(syms)
        m = hi - lo
        flat = prices[:, lo:hi].ravel()
        table = pa.table(
            {
                "symbol": np.repeat(np.array(syms, dtype=object), m),
                "trade_date": pa.array(np.tile(dates[lo:hi], k), pa.date32()),
                "open": flat,
                "high": flat,
                "low": flat,
                "close": flat,
                "adj_close": flat,
                "volume": np.full(k * m, 1_000_000, dtype=np.int64),
                "currency": np.full(k * m, "USD", dtype=object),
                "exchange_timezone": np.full(k * m, "America/New_York", dtype=object),
                "fetched_at": pa.array(np.full(k * m, fetched), pa.timestamp("us", tz="UTC")),
            },
            schema=BARS_SCHEMA,
        )
        pq.write_table(table, bars_dir / f"{part}.parquet")
        return table.num_rows

    suffix = f"-plus{extra_days}" if extra_days else ""
    rows = write(f"benchmark{suffix}", [BENCHMARK], rm[None, :])
    for start in range(0, n, SYMBOLS_PER_FILE):
        rows += write(
            f"part-{start // SYMBOLS_PER_FILE:04d}{suffix}",
            symbols[start : start + SYMBOLS_PER_FILE],
            returns[start : start + SYMBOLS_PER_FILE],
        )
    if extra_days:
        return {"price_rows": rows}

    # Kenneth French's daily factors (percent, as the library publishes them) over every session, the reserve days too,
    # so an incremental load changes prices only: Mkt-RF is the benchmark's return less RF, the others noise
    french_dir = parquet_dir / "french"
    french_dir.mkdir(parents=True, exist_ok=True)
    factor_rng = np.random.default_rng(seed + 1)
    all_dates = pa.array(dates, pa.date32())
    pq.write_table(
        pa.table(
            {
                "trade_date": all_dates,
                "mkt_rf_pct": np.round(rm * 100 - 0.01, 2),
                "smb_pct": np.round(factor_rng.normal(0, 0.5, len(days)), 2),
                "hml_pct": np.round(factor_rng.normal(0, 0.5, len(days)), 2),
                "rf_pct": np.full(len(days), 0.01),
                "file_vintage": np.full(len(days), "synthetic", dtype=object),
            },
            schema=FACTORS_SCHEMA,
        ),
        french_dir / "factors_daily.parquet",
    )
    pq.write_table(
        pa.table(
            {
                "trade_date": all_dates,
                "mom_pct": np.round(factor_rng.normal(0, 0.5, len(days)), 2),
                "file_vintage": np.full(len(days), "synthetic", dtype=object),
            },
            schema=MOMENTUM_SCHEMA,
        ),
        french_dir / "momentum_daily.parquet",
    )

    cal_dir = parquet_dir / "calendars"
    cal_dir.mkdir(parents=True, exist_ok=True)
    all_closes = closes[closes.index >= days[0]]
    pq.write_table(
        pa.table(
            {
                "trading_calendar": ["XNYS"] * len(all_closes),
                "session_date": pa.array([d.date() for d in all_closes.index], pa.date32()),
                "open_at": pa.array(all_closes.dt.to_pydatetime(), pa.timestamp("us", tz="UTC")),
                "close_at": pa.array(all_closes.dt.to_pydatetime(), pa.timestamp("us", tz="UTC")),
            },
            schema=SESSIONS_SCHEMA,
        ),
        cal_dir / "sessions.parquet",
    )

    seeds_dir.mkdir(parents=True, exist_ok=True)
    with open(seeds_dir / "curated_listings.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(LISTING_COLUMNS)
        w.writerow(
            [
                BENCHMARK,
                "Synthetic benchmark",
                "USA",
                "NYSE",
                "XNYS",
                "US",
                "benchmark",
                "USD",
                "",
                "true",
                "index",
                "synthetic",
            ]
        )
        for i, sym in enumerate(symbols):
            w.writerow(
                [
                    sym,
                    f"Synthetic {sym}",
                    "USA",
                    "NASDAQ",
                    "XNYS",
                    "US",
                    SEGMENTS[i % len(SEGMENTS)],
                    "USD",
                    BENCHMARK,
                    "false",
                    "equity",
                    "synthetic",
                ]
            )
    with open(seeds_dir / "listing_fallback_benchmarks.csv", "w", newline="") as fh:  # one benchmark: no fallbacks
        csv.writer(fh).writerow(["symbol", "fallback_benchmark_symbol", "reasoning", "source_url"])
    event_days = event_sessions(scale.days, scale.events)
    with open(seeds_dir / "curated_events.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(EVENT_COLUMNS)
        for k, idx in enumerate(event_days):
            w.writerow(
                [
                    f"e{k:04d}",
                    days[idx].date().isoformat(),
                    "12:00",
                    "America/New_York",
                    "exact",
                    "synthetic",
                    f"Synthetic event {k}",
                    "rule",
                    "bench",
                    "exact",
                    "synthetic",
                    "https://example.invalid/synthetic",
                    "synthetic",
                    "https://example.invalid/synthetic",
                    "",
                ]
            )
    # one group per segment, of its first GROUP_MEMBERS listings: real groups hold 2 to 12 (seed listing_groups), and
    # the members' mean pairwise residual correlation (int_event_group_residual_stats) costs the square of a group's
    # size (all 100 listings of a segment at the medium scale: 44 s of a 67 s refresh)
    with open(seeds_dir / "listing_groups.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["group_id", "group_label", "description"])
        for segment in SEGMENTS:
            w.writerow(
                [
                    f"synthetic_{segment}",
                    f"Synthetic {segment}",
                    f"The first {GROUP_MEMBERS} synthetic listings of the segment",
                ]
            )
    with open(seeds_dir / "listing_group_members.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["group_id", "symbol"])
        for i, sym in enumerate(symbols[: GROUP_MEMBERS * len(SEGMENTS)]):
            w.writerow([f"synthetic_{SEGMENTS[i % len(SEGMENTS)]}", sym])
    with open(seeds_dir / "event_families.csv", "w", newline="") as fh:  # three families, events dealt in turn
        w = csv.writer(fh)
        w.writerow(["event_id", "event_family", "reasoning"])
        for k in range(len(event_days)):
            w.writerow([f"e{k:04d}", SYNTHETIC_FAMILIES[k % len(SYNTHETIC_FAMILIES)], "synthetic"])
    return {"price_rows": rows, "events": len(event_days), "listings": n, "days": scale.days}
