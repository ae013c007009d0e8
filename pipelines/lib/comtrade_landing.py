"""Landing UN Comtrade records: each query fetched (split while an answer hits the preview cap), every answer kept
in the raw zone, rows merged into one Parquet table by their natural key; incremental by default (only periods not
yet landed, plus the latest few, which Comtrade revises); a query that fails keeps its last good rows."""

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pyarrow as pa

from . import landing
from .comtrade import NATURAL_KEY, RECORDS_SCHEMA, SOURCE, Query, parse_records
from .errors import ChipwatchError, ParseError, failure_summary


def fetch_query(settings, client, query: Query, calls: list | None = None) -> list[dict]:
    """Fetch one query, keeping every answer in the raw zone; split and re-ask while an answer hits the cap."""
    payload = client.fetch(query)
    if calls is not None:
        calls.append(query.key)
    landing.keep_raw(settings.raw_dir, payload)
    rows, records = parse_records(query, payload.body, payload.status)
    cap = getattr(client, "cap", None)
    if cap is None or records < cap:
        return rows
    parts = query.split()
    if not parts:
        raise ParseError(
            SOURCE,
            query.label,
            f"answer hit the preview cap of {cap} records and the query "
            "cannot be split further: set COMTRADE_API_KEY for the full endpoint",
        )
    return [row for part in parts for row in fetch_query(settings, client, part, calls)]


def records_path(settings) -> Path:
    return settings.parquet_dir / "comtrade" / "records.parquet"


@dataclass
class TradeReport:
    rows_landed: int
    rows_stored: int
    requests: int
    failures: dict[str, str]


REVISION_WINDOW = {"A": 2, "M": 3}  # the latest landed periods asked again: Comtrade revises recent data


def _series(row: dict) -> tuple:
    return row["freq_code"], row["flow_code"], row["reporter_code"], row["partner_code"], row["cmd_code"]


def _series_asked(query: Query) -> list[tuple]:
    """The (freq, flow, reporter, partner, HS code) series a query asks for; reporter None for every reporter."""
    return [
        (query.freq, query.flow, r, p, c)
        for r in (query.reporters or (None,))
        for p in query.partners
        for c in query.cmds
    ]


def pending_queries(queries: list[Query], landed: list[dict]) -> list[Query]:
    """Incremental refresh: each query keeps only the periods for which no stored row answers it yet, plus the latest
    few that do (REVISION_WINDOW); a query left with no period is dropped."""
    periods_by_series: dict[tuple, set] = {}
    for row in landed:
        key = _series(row)
        for series in (key, key[:2] + (None,) + key[3:]):  # the series itself, and "every reporter"
            periods_by_series.setdefault(series, set()).add(row["period"])
    pending = []
    for query in queries:
        have = set().union(*(periods_by_series.get(s, ()) for s in _series_asked(query)))
        recent = set(sorted(have)[-REVISION_WINDOW[query.freq] :])
        periods = tuple(p for p in query.periods if p not in have or p in recent)
        if periods:
            pending.append(replace(query, periods=periods))
    return pending


def answered_by(queries: list[Query]):
    """A predicate: was this stored row asked for by one of `queries` (so their fresh answer replaces it)?"""
    asked = {series + (period,) for q in queries for series in _series_asked(q) for period in q.periods}

    def covered(row: dict) -> bool:
        key = _series(row) + (row["period"],)
        return key in asked or key[:2] + (None,) + key[3:] in asked

    return covered


def held_periods(rows: list[dict]) -> Counter:
    """Stored rows per (series, period), each row counted for its series and for "every reporter"."""
    held = Counter()
    for row in rows:
        key = _series(row)
        held[key + (row["period"],)] += 1
        held[key[:2] + (None,) + key[3:] + (row["period"],)] += 1
    return held


def refuse_dropped_periods(query: Query, rows: list[dict], held: Counter) -> None:
    """An answer that holds no row for a period of which rows are stored would delete them (Comtrade answers an
    outage or a throttled call with an empty `data` list as readily as a withdrawal): refused, so the stored rows stay.
    A period the answer does hold replaces the stored one whole (a revision may drop a partner)."""
    answered = {row["period"] for row in rows}
    for period in query.periods:
        if period in answered:
            continue
        stored = sum(held[series + (period,)] for series in _series_asked(query))
        if stored:
            raise ParseError(
                SOURCE,
                query.label,
                f"the answer holds no record for period {period}, of which "
                f"{stored} row(s) are stored: not replacing them (they stay as "
                "landed; Comtrade gives no sign of a withdrawal)",
            )


def land_trade(settings, client, queries: list[Query], incremental: bool = True) -> TradeReport:
    """Fetch the queries (with `incremental`, only what is new or may have been revised); rows of queries that failed
    this time keep their last good values."""
    previous = landing.read_parquet(records_path(settings))
    stored = previous.to_pylist() if previous is not None else []  # converted once: the series held, then kept
    if incremental and previous is not None:
        queries = pending_queries(queries, stored)
    fresh, failures, done, calls, seen = [], {}, [], [], Counter()
    held = held_periods(stored)
    for query in queries:
        try:
            rows = fetch_query(settings, client, query, calls)
            refuse_dropped_periods(query, rows, held)
            fresh.extend(rows)
            done.append(query)
        except ChipwatchError as exc:
            base = f"{SOURCE}:{query.name}:{query.freq}:{query.periods[0]}"
            seen[base] += 1  # packed queries share a first period: one entry per query, the second on numbered
            failures[base if seen[base] == 1 else f"{base}#{seen[base]}"] = str(exc)
    if not queries:
        return TradeReport(0, previous.num_rows if previous is not None else 0, 0, {})
    if not done:
        raise ChipwatchError(f"{SOURCE}: no query landed ({len(queries)} asked); {failure_summary(failures.values())}")
    replaced = answered_by(done)
    kept = [r for r in stored if not replaced(r)]
    merged = {}
    for row in kept + fresh:  # a row asked for by two queries lands once; the fresh one wins
        merged[tuple(row[k] for k in NATURAL_KEY)] = row
    rows = sorted(merged.values(), key=lambda r: tuple("" if r[k] is None else str(r[k]) for k in NATURAL_KEY))
    landing.write_parquet(records_path(settings), pa.Table.from_pylist(rows, schema=RECORDS_SCHEMA))
    return TradeReport(len(fresh), len(rows), len(calls), failures)


def restrict(queries: list[Query], start: date, end: date) -> list[Query]:
    """Backfill: the queries narrowed to the periods inside [start, end] (annual by year, monthly by month)."""

    def inside(freq: str, period: str) -> bool:
        if freq == "A":
            return start.year <= int(period) <= end.year
        return (start.year, start.month) <= (int(period[:4]), int(period[4:6])) <= (end.year, end.month)

    narrowed = []
    for query in queries:
        periods = tuple(p for p in query.periods if inside(query.freq, p))
        if periods:
            narrowed.append(replace(query, periods=periods))
    return narrowed
