"""Landing daily bars for every listing: incremental, idempotent, one bad symbol never stops the others.

For each symbol: ask only for the days after the last stored one (with a small overlap, to pick up revisions),
keep the payload in the raw zone, parse it, merge it into that symbol's Parquet file (a date appears once; the
newer fetch wins). If the overlap shows that history was revised (a split or a dividend re-adjusts every earlier
adjusted close), the symbol's whole history is fetched again, so returns never straddle two adjustment bases.
"""

import csv
import os
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from . import landing
from .config import DBT_PROJECT_DIR, Settings
from .errors import ChipwatchError
from .yahoo import parse_chart

log = logging.getLogger("chipwatch.yahoo")

LISTINGS_SEED = DBT_PROJECT_DIR / "seeds" / "curated" / "curated_listings.csv"
OVERLAP_DAYS = 7
REVISION_TOLERANCE = 1e-6
DATASET = "yahoo/daily_bars"

BARS_SCHEMA = pa.schema([
    ("symbol", pa.string()),
    ("trade_date", pa.date32()),
    ("open", pa.float64()),
    ("high", pa.float64()),
    ("low", pa.float64()),
    ("close", pa.float64()),
    ("adj_close", pa.float64()),
    ("volume", pa.int64()),
    ("currency", pa.string()),
    ("exchange_timezone", pa.string()),
    ("fetched_at", pa.timestamp("us", tz="UTC")),
])


@dataclass
class SymbolResult:
    symbol: str
    ok: bool
    requested_from: date | None = None
    rows_received: int = 0
    rows_new: int = 0
    rows_stored: int = 0
    dropped_empty_bars: int = 0
    refetched_full_history: bool = False
    error: str | None = None


@dataclass
class PricesReport:
    results: list[SymbolResult] = field(default_factory=list)

    @property
    def failed(self) -> list[SymbolResult]:
        return [r for r in self.results if not r.ok]

    @property
    def landed(self) -> list[SymbolResult]:
        return [r for r in self.results if r.ok]


def listing_symbols(seed: Path = LISTINGS_SEED) -> list[str]:
    """The curated listings seed is the one list of symbols, for dbt and for ingestion alike."""
    with seed.open(newline="") as fh:
        return [row["symbol"] for row in csv.DictReader(fh)]


# Every file name starts with this prefix: Spark and Hadoop skip files whose names start with "_" or "." (their
# marker files), so '^GSPC' stored as '_GSPC.parquet' was silently missing from the Spark build (issue 9).
BARS_FILE_PREFIX = "bars-"


def bars_path(settings: Settings, symbol: str) -> Path:
    return settings.parquet_dir / DATASET / f"{BARS_FILE_PREFIX}{landing.safe_name(symbol)}.parquet"


def placeholder_path(settings: Settings) -> Path:
    """The empty stand-in written before a build when no symbol has ever landed (pipelines/lib/raw_zone.py)."""
    return settings.parquet_dir / DATASET / f"{BARS_FILE_PREFIX}none-landed-yet.parquet"


def migrate_legacy_file_names(settings: Settings) -> int:
    """Rename per-symbol files written before BARS_FILE_PREFIX ('NVDA.parquet' -> 'bars-NVDA.parquet')."""
    folder = settings.parquet_dir / DATASET
    moved = 0
    for legacy in sorted(folder.glob("*.parquet")) if folder.is_dir() else []:
        if legacy.name.startswith((BARS_FILE_PREFIX, ".")):
            continue
        target = folder / f"{BARS_FILE_PREFIX}{legacy.name}"
        if target.exists():  # written by this version, so newer: the legacy copy is stale
            legacy.unlink()
        else:
            os.replace(legacy, target)
            moved += 1
    if moved:
        log.info("yahoo: renamed %d per-symbol files to the %s<symbol>.parquet convention", moved, BARS_FILE_PREFIX)
    return moved


def land_prices(settings: Settings, client, symbols: list[str], today: date | None = None,
                refetch: tuple[date, date] | None = None) -> PricesReport:
    """Land every symbol incrementally, or with `refetch` (a backfill) ask for exactly that range again."""
    today = today or datetime.now(timezone.utc).date()
    landing.clean_stale_temp_files(settings.parquet_dir)
    migrate_legacy_file_names(settings)
    report = PricesReport()
    for symbol in symbols:
        try:
            if refetch:
                result = refetch_symbol(settings, client, symbol, *refetch)
            else:
                result = land_symbol(settings, client, symbol, today)
        except ChipwatchError as exc:  # SourceError (fetch or parse) or a refused symbol: this symbol only
            log.warning("yahoo: %s", exc)
            result = SymbolResult(symbol, ok=False, error=str(exc))
        report.results.append(result)
        if result.ok:
            log.info("yahoo: %-10s +%d new rows (asked from %s)%s", symbol, result.rows_new,
                     result.requested_from, ", history revised: refetched in full" if result.refetched_full_history else "")
    if report.landed:
        placeholder_path(settings).unlink(missing_ok=True)  # real bars replace the empty stand-in
    return report


def request_start(settings: Settings, stored: pa.Table | None) -> date:
    """The first day an incremental landing asks for: the configured start when nothing is stored or the stored
    history does not reach back to it, else OVERLAP_DAYS before the last stored day (the overlap shows revisions)."""
    if stored is None or not stored.num_rows:
        return settings.start
    first, last = pc.min(stored["trade_date"]).as_py(), pc.max(stored["trade_date"]).as_py()
    if first > settings.start + timedelta(days=7):
        return settings.start
    return max(settings.start, last - timedelta(days=OVERLAP_DAYS))


def refresh_start(settings: Settings, symbols: list[str]) -> date:
    """The first day an incremental refresh of these symbols asks for (a refresh's run covers the months from this
    day's on). A symbol whose overlap shows revised history is then fetched whole: the run's metadata names it."""
    starts = []
    for symbol in symbols:
        path = bars_path(settings, symbol)
        try:
            stored = pq.read_table(path, columns=["trade_date"]) if path.exists() else None
        except (OSError, pa.ArrowException):  # unreadable: the landing says so for this symbol; ask for everything
            return settings.start
        starts.append(request_start(settings, stored))
    return min(starts, default=settings.start)


def land_symbol(settings: Settings, client, symbol: str, today: date) -> SymbolResult:
    path = bars_path(settings, symbol)
    stored = landing.read_parquet(path)
    start = request_start(settings, stored)
    rows, dropped = _fetch(settings, client, symbol, start, today)
    refetched = False
    if stored is not None and start > settings.start and _revised(stored, rows):
        rows, dropped = _fetch(settings, client, symbol, settings.start, today)
        stored, refetched, start = None, True, settings.start
    fetched = _to_table(rows)
    merged, new = _merge(stored, fetched)
    if new or stored is None:
        landing.write_parquet(path, merged)
    return SymbolResult(symbol, True, start, len(rows), new, merged.num_rows, dropped, refetched)


def refetch_symbol(settings: Settings, client, symbol: str, start: date, end: date) -> SymbolResult:
    """Backfill: ask for [start, end] again and let those days replace what is stored."""
    path = bars_path(settings, symbol)
    stored = landing.read_parquet(path)
    rows, dropped = _fetch(settings, client, symbol, start, end)
    merged, new = _merge(stored, _to_table(rows))
    landing.write_parquet(path, merged)
    return SymbolResult(symbol, True, start, len(rows), new, merged.num_rows, dropped)


def _fetch(settings: Settings, client, symbol: str, start: date, end: date) -> tuple[list[dict], int]:
    payload = client.fetch_chart(symbol, start, end)
    landing.keep_raw(settings.raw_dir, payload)  # kept before parsing: a bad payload is still on disk
    parsed = parse_chart(symbol, payload.body, payload.status)
    stamp = payload.fetched_at
    for row in parsed.rows:
        row.update(currency=parsed.currency, exchange_timezone=parsed.exchange_timezone, fetched_at=stamp)
    return parsed.rows, parsed.dropped_empty_bars


def _to_table(rows: list[dict]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=BARS_SCHEMA)


def _revised(stored: pa.Table, rows: list[dict]) -> bool:
    """True when a day both in storage and in the new answer changed its close or adjusted close."""
    old = {d: (c, a) for d, c, a in zip(stored["trade_date"].to_pylist(), stored["close"].to_pylist(),
                                        stored["adj_close"].to_pylist())}
    for row in rows:
        before = old.get(row["trade_date"])
        if before is None:
            continue
        for was, now in zip(before, (row["close"], row["adj_close"])):
            if abs(now - was) > REVISION_TOLERANCE * max(abs(was), 1.0):
                return True
    return False


def _merge(stored: pa.Table | None, fetched: pa.Table) -> tuple[pa.Table, int]:
    """Union by trade_date, the fetched row winning; sorted by date. Returns (table, rows not stored before)."""
    if stored is None or stored.num_rows == 0:
        return fetched.sort_by("trade_date"), fetched.num_rows
    stored = stored.cast(BARS_SCHEMA)
    fetched_days = pa.array(fetched["trade_date"].to_pylist(), pa.date32())
    keep = pc.invert(pc.is_in(stored["trade_date"], value_set=fetched_days))
    kept = stored.filter(keep)
    merged = pa.concat_tables([kept, fetched]).sort_by("trade_date")
    new = merged.num_rows - stored.num_rows
    return merged, new
