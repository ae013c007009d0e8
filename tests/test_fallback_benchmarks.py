"""Fallback benchmarks (seed listing_fallback_benchmarks): the sample rebuilt as an older recording would land it, with
no Hang Seng Index at all and the S&P 500's history starting in 2023. The choice per event is recomputed here from the
calendar's sessions and the benchmark's bars, and a fallback fit is recomputed by numpy least squares."""

import csv
from datetime import date

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from pipelines.lib.config import DBT_PROJECT_DIR

from .test_incremental_builds import Landed, dbt_build, query

SEED = DBT_PROJECT_DIR / "seeds" / "curated" / "listing_fallback_benchmarks.csv"
GSPC_FROM = date(2023, 1, 1)
ESTIMATION = (-250, -30)  # dbt_project.yml: estimation_window_start, estimation_window_end
MIN_DAYS = 120  # min_estimation_days


def gspc_from_2023(table: pa.Table) -> pa.Table:
    return table.filter(pc.greater_equal(table.column("trade_date"), pa.scalar(GSPC_FROM)))


@pytest.fixture(scope="module")
def older_recording(sample_warehouse, tmp_path_factory):
    home, _, proc = sample_warehouse
    assert proc.returncode == 0, proc.stdout + proc.stderr
    root = tmp_path_factory.mktemp("fallback")
    landed = Landed(home / "parquet" / "sample", root)
    landed.write(0, {"^GSPC": gspc_from_2023})
    (landed.bars_dir / landed.file("^HSI")).unlink()
    del landed.original[landed.file("^HSI")]
    db = root / "build.duckdb"
    dbt_build(landed.dir, db, root / "target")
    return db


def returns(db, symbol: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "select trade_date, daily_return from intermediate.int_daily_returns_indexed "
            "where symbol = ? order by trade_date",
            [symbol],
        ).fetchall()
    finally:
        con.close()


def test_every_listing_with_a_fallback_names_another_listed_instrument():
    with open(DBT_PROJECT_DIR / "seeds" / "curated" / "curated_listings.csv", newline="") as fh:
        listings = {row["symbol"]: row for row in csv.DictReader(fh)}
    with open(SEED, newline="") as fh:
        fallbacks = list(csv.DictReader(fh))
    for row in fallbacks:
        own = listings[row["symbol"]]
        assert own["is_benchmark"] == "false", row
        assert row["fallback_benchmark_symbol"] in listings, row
        assert row["fallback_benchmark_symbol"] not in (row["symbol"], own["benchmark_symbol"]), row
        assert row["reasoning"] and row["source_url"].startswith("https://"), row
    # every stock with a benchmark has a fallback: the ETFs and indices too, except SPY, the S&P 500's own fallback
    covered = {row["symbol"] for row in fallbacks}
    assert {s for s, r in listings.items() if r["benchmark_symbol"]} - covered == {"SPY"}


def test_the_benchmark_of_each_event_is_the_own_one_when_it_covers_the_estimation_window(older_recording):
    """Recomputed: the calendar's sessions at t0-250 .. t0-30, the benchmark's returns on those dates, at least 120."""
    db = older_recording
    sessions = {}
    for calendar, day in query(
        db, "select trading_calendar, session_date from staging.stg_calendars__sessions order by 1, 2"
    ):
        sessions.setdefault(calendar, []).append(day)
    with_return = {s: {d for d, r in returns(db, s) if r is not None} for s in ("^GSPC", "SPY", "000300.SS", "^HSI")}
    assert not with_return["^HSI"]
    calendar_of = dict(query(db, "select symbol, trading_calendar from staging.stg_curated__listings"))
    with open(SEED, newline="") as fh:
        fallback_of = {row["symbol"]: row["fallback_benchmark_symbol"] for row in csv.DictReader(fh)}
    own_of = dict(query(db, "select symbol, benchmark_symbol from staging.stg_curated__listings"))

    def covers(benchmark, calendar, t0):
        days = sessions[calendar]
        i0 = days.index(t0)
        first = days[max(i0 + ESTIMATION[0], 0)]
        if i0 + ESTIMATION[1] < 0:
            return False
        last = days[i0 + ESTIMATION[1]]
        return sum(1 for d in with_return.get(benchmark, ()) if first <= d <= last) >= MIN_DAYS

    rows = query(
        db,
        "select event_id, symbol, t0_session_date, benchmark_symbol, benchmark_role "
        "from intermediate.int_event_listings_anchored where t0_session_date is not null",
    )
    roles = {"primary": 0, "fallback": 0}
    for event_id, symbol, t0, benchmark, role in rows:
        own, fallback = own_of[symbol], fallback_of.get(symbol)
        if covers(own, calendar_of[symbol], t0) or not (fallback and covers(fallback, calendar_of[symbol], t0)):
            expected = (own, "primary")
        else:
            expected = (fallback, "fallback")
        assert (benchmark, role) == expected, (event_id, symbol)
        roles[role] += 1
    assert roles["primary"] > 100 and roles["fallback"] > 100, roles
    hk = query(
        db,
        "select distinct benchmark_symbol, benchmark_role, model_status from marts.fct_event_model_fits "
        "where symbol in ('0981.HK', '1347.HK') and event_date is not null",
    )
    assert hk == [("000300.SS", "fallback", "fitted")]


def test_a_fallback_fit_is_the_least_squares_fit_on_the_fallback_s_returns(older_recording):
    db = older_recording
    fits = query(
        db,
        "select event_id, event_date, alpha, beta, residual_sd, estimation_days "
        "from marts.fct_event_model_fits where symbol = '0981.HK' and model_status = 'fitted' "
        "and benchmark_role = 'fallback' order by event_date",
    )
    assert len(fits) >= 10
    listing = returns(db, "0981.HK")
    dates = [d for d, _ in listing]
    benchmark = {d: r for d, r in returns(db, "000300.SS")}
    for event_id, t0, alpha, beta, residual_sd, days in (fits[0], fits[len(fits) // 2], fits[-1]):
        i0 = dates.index(t0)
        pairs = [(r, benchmark.get(d)) for d, r in listing[max(i0 + ESTIMATION[0], 0) : i0 + ESTIMATION[1] + 1]]
        pairs = [(r, m) for r, m in pairs if r is not None and m is not None]
        y, x = np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])
        design = np.column_stack([np.ones_like(x), x])
        (a, b), ssr, *_ = np.linalg.lstsq(design, y, rcond=None)
        assert days == len(pairs), event_id
        assert alpha == pytest.approx(a, abs=1e-10) and beta == pytest.approx(b, abs=1e-9), event_id
        assert residual_sd == pytest.approx(np.sqrt(ssr[0] / (len(pairs) - 2)), rel=1e-9), event_id
