"""Landing daily bars for every listing: incremental, idempotent, one bad symbol never stops the others.

For each symbol: ask only for the days after the last stored one (with a small overlap, to pick up revisions),
keep the payload in the raw zone, parse it, merge it into that symbol's Parquet file (a date appears once; the
newer fetch wins). If the overlap shows that history was revised (a split or a dividend re-adjusts every earlier
adjusted close), the symbol's whole history is fetched again, so returns never straddle two adjustment bases.
"""

import csv
import logging
import os
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from . import landing
from .config import DBT_PROJECT_DIR, Settings
from .errors import ChipwatchError, ParseError
from .yahoo import SOURCE, parse_chart

log = logging.getLogger("chipwatch.yahoo")

LISTINGS_SEED = DBT_PROJECT_DIR / "seeds" / "curated" / "curated_listings.csv"
OVERLAP_DAYS = 7
REVISION_TOLERANCE = 1e-6
# A close (or adjusted close) more than 5x or less than 1/5 of the session before's is refused as implausible: Yahoo's
# closes are split-adjusted, so no corporate action explains it, and no listing here has moved by as much in a day
# (the largest daily moves of the recorded 2021-2025 history are well inside it). Raise it only with a source.
MAX_DAILY_RATIO = 5.0
DATASET = "yahoo/daily_bars"

BARS_SCHEMA = pa.schema(
    [
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
    ]
)


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


def land_prices(
    settings: Settings, client, symbols: list[str], today: date | None = None, refetch: tuple[date, date] | None = None
) -> PricesReport:
    """Land every symbol incrementally, or with `refetch` (a backfill) ask for exactly that range again."""
    today = today or datetime.now(UTC).date()
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
            log.info(
                "yahoo: %-10s +%d new rows (asked from %s)%s",
                symbol,
                result.rows_new,
                result.requested_from,
                ", history revised: refetched in full" if result.refetched_full_history else "",
            )
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
    """Ask from the overlap (or for the whole history), refetch the whole history when the overlap shows revised
    prices. An answer for the whole history replaces the stored one (so bars the upstream has withdrawn go), unless it
    would remove sessions at either end of what is stored."""
    path = bars_path(settings, symbol)
    stored = landing.read_parquet(path)
    start = request_start(settings, stored)
    rows, dropped = _fetch(settings, client, symbol, start, today)
    refetched = False
    if stored is not None and start > settings.start and _revised(stored, rows):
        rows, dropped = _fetch(settings, client, symbol, settings.start, today)
        refetched, start = True, settings.start
    fetched = _to_table(rows)
    if stored is not None and stored.num_rows and start == settings.start:  # the whole history was asked for
        refuse_shorter_history(symbol, stored, fetched)
        merged = fetched.sort_by("trade_date")
        new = len(set(fetched["trade_date"].to_pylist()) - set(stored["trade_date"].to_pylist()))
        changed = not merged.select(["trade_date", "close", "adj_close"]).equals(
            stored.cast(BARS_SCHEMA).sort_by("trade_date").select(["trade_date", "close", "adj_close"])
        )
    else:
        merged, new = _merge(stored, fetched)
        changed = bool(new) or stored is None
    refuse_implausible_moves(symbol, merged, set(fetched["trade_date"].to_pylist()))
    if changed or refetched:
        landing.write_parquet(path, merged)
    return SymbolResult(symbol, True, start, len(rows), new, merged.num_rows, dropped, refetched)


def refetch_symbol(settings: Settings, client, symbol: str, start: date, end: date) -> SymbolResult:
    """Backfill: ask for [start, end] again and let those days replace what is stored."""
    path = bars_path(settings, symbol)
    stored = landing.read_parquet(path)
    rows, dropped = _fetch(settings, client, symbol, start, end)
    fetched = _to_table(rows)
    merged, new = _merge(stored, fetched)
    refuse_implausible_moves(symbol, merged, set(fetched["trade_date"].to_pylist()))
    landing.write_parquet(path, merged)
    return SymbolResult(symbol, True, start, len(rows), new, merged.num_rows, dropped)


def _fetch(settings: Settings, client, symbol: str, start: date, end: date) -> tuple[list[dict], int]:
    payload = client.fetch_chart(symbol, start, end)
    landing.keep_raw(settings.raw_dir, payload)  # kept before parsing: a bad payload is still on disk
    parsed = parse_chart(symbol, payload.body, payload.status)
    check_sessions(symbol, parsed.exchange_timezone, [row["trade_date"] for row in parsed.rows])
    stamp = payload.fetched_at
    for row in parsed.rows:
        row.update(currency=parsed.currency, exchange_timezone=parsed.exchange_timezone, fetched_at=stamp)
    return parsed.rows, parsed.dropped_empty_bars


# -- is the answer about the sessions asked, and plausible? ----------------------------------------------------------


@cache
def listing_calendars(seed: Path = LISTINGS_SEED) -> dict[str, str]:
    """symbol -> the exchange calendar (exchange_calendars code) of its listing, from the listings seed."""
    with seed.open(newline="") as fh:
        return {row["symbol"]: row["trading_calendar"] for row in csv.DictReader(fh)}


def check_sessions(symbol: str, timezone_name: str, days: list[date]) -> None:
    """Refuse a chart whose exchange time zone is not its listing's exchange's, or with a bar on a day that exchange
    does not trade (shifted timestamps, or a wrong time zone, put daily bars on weekends and holidays). A symbol that
    is not a listing of the seed is not checked."""
    code = listing_calendars().get(symbol)
    if code is None:
        return
    import exchange_calendars as xc  # imported here: ~0.5 s, only when bars are landed

    calendar = xc.get_calendar(code)
    expected = str(calendar.tz)
    if timezone_name != expected:
        raise ParseError(
            SOURCE,
            symbol,
            f"the chart's exchange time zone is {timezone_name[:40]!r}, but {symbol} "
            f"trades on {code} ({expected}): not taken",
        )
    first, last = calendar.first_session.date(), calendar.last_session.date()
    inside = [d for d in days if first <= d <= last]
    if not inside:
        return
    sessions = {s.date() for s in calendar.sessions_in_range(str(min(inside)), str(max(inside)))}
    off = sorted(d for d in inside if d not in sessions)
    if off:
        shown = ", ".join(f"{d} ({d:%a})" for d in off[:3])
        raise ParseError(
            SOURCE,
            symbol,
            f"{len(off)} bar(s) fall on days {code} does not trade, first {shown}: the "
            "timestamps or the time zone are wrong; not taken",
        )


def refuse_shorter_history(symbol: str, stored: pa.Table, fetched: pa.Table) -> None:
    """An answer for the whole history must cover the stored one at both ends: otherwise replacing it would remove
    sessions already held (an upstream cut short, not a withdrawal)."""
    held_first, held_last = pc.min(stored["trade_date"]).as_py(), pc.max(stored["trade_date"]).as_py()
    if fetched.num_rows == 0:
        raise ParseError(
            SOURCE,
            symbol,
            f"the answer for the whole history holds no bar, but {stored.num_rows} are stored: not replacing them",
        )
    first, last = pc.min(fetched["trade_date"]).as_py(), pc.max(fetched["trade_date"]).as_py()
    if first > held_first + timedelta(days=OVERLAP_DAYS) or last < held_last:
        raise ParseError(
            SOURCE,
            symbol,
            f"the answer for the whole history runs {first}..{last}, but {held_first}.."
            f"{held_last} is stored: it would remove sessions already held; not taken",
        )


def refuse_implausible_moves(symbol: str, table: pa.Table, fetched_days: set) -> None:
    """Refuse a close or adjusted close that moved by more than MAX_DAILY_RATIO in one session, in any pair of
    sessions that holds a day of this answer."""
    days = table["trade_date"].to_pylist()
    for column in ("close", "adj_close"):
        values = table[column].to_pylist()
        for i in range(1, len(days)):
            if days[i] not in fetched_days and days[i - 1] not in fetched_days:
                continue
            ratio = values[i] / values[i - 1]
            if ratio > MAX_DAILY_RATIO or ratio < 1 / MAX_DAILY_RATIO:
                raise ParseError(
                    SOURCE,
                    symbol,
                    f"{days[i]}: {column} {values[i]:.6g} is {ratio:.3g}x the session "
                    f"before ({values[i - 1]:.6g} on {days[i - 1]}), beyond the "
                    f"{MAX_DAILY_RATIO:g}x bound for one session: not taken",
                )


def _to_table(rows: list[dict]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=BARS_SCHEMA)


def _revised(stored: pa.Table, rows: list[dict]) -> bool:
    """True when a day both in storage and in the new answer changed its close or adjusted close."""
    old = {
        d: (c, a)
        for d, c, a in zip(
            stored["trade_date"].to_pylist(), stored["close"].to_pylist(), stored["adj_close"].to_pylist()
        )
    }
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
