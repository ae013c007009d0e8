"""Baselines for the event study over the same landed data: the best formulation found (the reference the dbt models
are measured against), the hand-written DuckDB query an analyst would write, and a pandas + statsmodels loop over
(event, listing) pairs. Each returns rows (event_id, symbol, window_start, window_end, alpha, beta, residual_sd, car,
t_stat)."""

import csv
import re
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import statsmodels.api as sm

WINDOWS = [(0, 0), (-1, 1), (0, 1), (0, 5), (-5, 5)]
EST_START, EST_END, MIN_DAYS = -250, -30, 120

# The inputs both SQL baselines read the same way: returns with a session index per listing, listings, event instants.
INPUTS = """
with bars as (
    select symbol, trade_date,
           row_number() over w as idx,
           adj_close / lag(adj_close) over w - 1 as r
    from read_parquet($bars)
    window w as (partition by symbol order by trade_date)
),
listings as (
    select symbol, benchmark_symbol, trading_calendar from read_csv($listings, all_varchar = true)
    where is_benchmark = 'false'
),
events as (
    select event_id,
           timezone(announced_tz, strptime(announced_on || ' ' || announced_time_local, '%Y-%m-%d %H:%M')) as at
    from read_csv($events, all_varchar = true)
),
"""

DUCKDB_QUERY = (
    INPUTS
    + """sessions as (select trading_calendar, session_date, close_at from read_parquet($sessions)),
t0 as (
    select e.event_id, l.symbol, l.benchmark_symbol, min(s.session_date) as t0
    from events e cross join listings l
    join sessions s on s.trading_calendar = l.trading_calendar and s.close_at > e.at
    group by all
),
anchored as (
    select t0.*, b.idx as i0 from t0 join bars b on b.symbol = t0.symbol and b.trade_date = t0.t0
),
days as (
    select a.event_id, a.symbol, b.idx - a.i0 as d, b.r, m.r as rm
    from anchored a
    join bars b on b.symbol = a.symbol and b.idx between a.i0 - 250 and a.i0 + 5
    left join bars m on m.symbol = a.benchmark_symbol and m.trade_date = b.trade_date
),
fit as (
    select event_id, symbol, regr_intercept(r, rm) as alpha, regr_slope(r, rm) as beta, regr_count(r, rm) as n
    from days where d between -250 and -30
    group by all
    having regr_count(r, rm) >= 120
),
sd as (
    select f.event_id, f.symbol, sqrt(sum((r - alpha - beta * rm) ^ 2) / (any_value(n) - 2)) as residual_sd
    from fit f join days using (event_id, symbol)
    where d between -250 and -30 and r is not null and rm is not null
    group by all
),
windows as (select * from (values (0, 0), (-1, 1), (0, 1), (0, 5), (-5, 5)) w(ws, we))
select f.event_id, f.symbol, ws as window_start, we as window_end, f.alpha, f.beta, sd.residual_sd,
       sum(r - (f.alpha + f.beta * rm)) as car,
       sum(r - (f.alpha + f.beta * rm)) / (sd.residual_sd * sqrt(we - ws + 1)) as t_stat
from fit f join sd using (event_id, symbol) join days using (event_id, symbol) join windows on d between ws and we
group by f.event_id, f.symbol, ws, we, f.alpha, f.beta, sd.residual_sd
having count(r - (f.alpha + f.beta * rm)) = we - ws + 1
"""
)


# The best formulation found (issue 18): t0 once per (event, trading calendar), not per listing; the market model
# from one pass of sufficient statistics (regr_sxx, regr_syy, regr_sxy give the residual variance: no second pass over
# the estimation window); estimation and event windows by equality joins on the session index, with the wanted index
# projected into a column first (a join key that is an expression sends DuckDB to a slow plan).
BEST_QUERY = (
    INPUTS
    + """t0_by_calendar as (
    select e.event_id, s.trading_calendar, min(s.session_date) as t0
    from events e join read_parquet($sessions) s on s.close_at > e.at
    group by all
),
anchored as (
    select t.event_id, l.symbol, l.benchmark_symbol, b.idx as i0
    from t0_by_calendar t
    join listings l on l.trading_calendar = t.trading_calendar
    join bars b on b.symbol = l.symbol and b.trade_date = t.t0
),
offsets as (select range as d from range($est_start, $last_day + 1)),
wanted as (
    select a.event_id, a.symbol, a.benchmark_symbol, o.d, a.i0 + o.d as idx
    from anchored a cross join offsets o
),
days as materialized (  -- read by the fit and by the event windows: computed once
    select w.event_id, w.symbol, w.d, b.r, m.r as rm
    from wanted w
    join bars b on b.symbol = w.symbol and b.idx = w.idx
    left join bars m on m.symbol = w.benchmark_symbol and m.trade_date = b.trade_date
),
fit as (
    select event_id, symbol, regr_intercept(r, rm) as alpha, regr_slope(r, rm) as beta, regr_count(r, rm) as n,
           sqrt((regr_syy(r, rm) - regr_sxy(r, rm) ^ 2 / regr_sxx(r, rm)) / (regr_count(r, rm) - 2)) as residual_sd
    from days where d between $est_start and $est_end
    group by all
    having regr_count(r, rm) >= $min_days
),
windows as (select * from (values (0, 0), (-1, 1), (0, 1), (0, 5), (-5, 5)) w(ws, we))
select f.event_id, f.symbol, ws as window_start, we as window_end, f.alpha, f.beta, f.residual_sd,
       sum(r - (f.alpha + f.beta * rm)) as car,
       sum(r - (f.alpha + f.beta * rm)) / (f.residual_sd * sqrt(we - ws + 1)) as t_stat
from fit f join days using (event_id, symbol) join windows on d between ws and we
group by f.event_id, f.symbol, ws, we, f.alpha, f.beta, f.residual_sd
having count(r - (f.alpha + f.beta * rm)) = we - ws + 1
"""
)


def _run(
    query: str,
    parquet_dir: Path,
    seeds_dir: Path,
    threads: int | None,
    extra: dict | None = None,
    memory_limit: str | None = None,
) -> pd.DataFrame:
    con = duckdb.connect()
    if threads:
        con.execute(f"set threads = {int(threads)}")
    if memory_limit:  # a setting cannot be a bound parameter: the value is checked before it goes in
        if not re.fullmatch(r"\d+(\.\d+)?\s*[KMGT]i?B", memory_limit):
            raise ValueError(f"memory limit {memory_limit!r} is not like 1GB")
        con.execute(f"set memory_limit = '{memory_limit}'")
    params = {
        "bars": str(parquet_dir / "yahoo" / "daily_bars" / "*.parquet"),
        "sessions": str(parquet_dir / "calendars" / "sessions.parquet"),
        "listings": str(seeds_dir / "curated_listings.csv"),
        "events": str(seeds_dir / "curated_events.csv"),
        **(extra or {}),
    }
    try:
        return con.execute(query, params).df()
    finally:
        con.close()


def duckdb_event_study(
    parquet_dir: Path, seeds_dir: Path, threads: int | None = None, memory_limit: str | None = None
) -> pd.DataFrame:
    """The hand-written query: t0 per listing (an events x listings x sessions inequality join), a range join on the
    session index, and a second pass over the estimation window for the residual variance."""
    return _run(DUCKDB_QUERY, parquet_dir, seeds_dir, threads, memory_limit=memory_limit)


def best_event_study(
    parquet_dir: Path, seeds_dir: Path, threads: int | None = None, memory_limit: str | None = None
) -> pd.DataFrame:
    """The best formulation found (BEST_QUERY): the reference the dbt models are measured against."""
    last_day = max(we for _, we in WINDOWS)
    extra = {"est_start": EST_START, "est_end": EST_END, "last_day": last_day, "min_days": MIN_DAYS}
    return _run(BEST_QUERY, parquet_dir, seeds_dir, threads, extra, memory_limit)


def pandas_event_study(parquet_dir: Path, seeds_dir: Path) -> pd.DataFrame:
    """The loop an analyst would write: returns per listing, then one statsmodels OLS per (event, listing)."""
    bars = pd.read_parquet(parquet_dir / "yahoo" / "daily_bars", columns=["symbol", "trade_date", "adj_close"])
    bars = bars.sort_values(["symbol", "trade_date"])
    bars["r"] = bars.groupby("symbol")["adj_close"].pct_change()
    with open(seeds_dir / "curated_listings.csv", newline="") as fh:
        listings = [r for r in csv.DictReader(fh) if r["is_benchmark"] == "false"]
    with open(seeds_dir / "curated_events.csv", newline="") as fh:
        events = list(csv.DictReader(fh))
    series = {s: g.set_index("trade_date")["r"] for s, g in bars.groupby("symbol")}
    out = []
    for event in events:
        t0 = pd.Timestamp(event["announced_on"]).date()  # synthetic events: noon New York, before the close
        for listing in listings:
            r = series[listing["symbol"]]
            rm = series[listing["benchmark_symbol"]]
            dates = list(r.index)
            if t0 not in r.index:
                continue
            i0 = dates.index(t0)
            est = pd.DataFrame({"r": r.iloc[i0 + EST_START : i0 + EST_END + 1]})
            est["rm"] = rm.reindex(est.index)
            est = est.dropna()
            if len(est) < MIN_DAYS:
                continue
            fit = sm.OLS(est["r"], sm.add_constant(est["rm"])).fit()
            alpha, beta = fit.params["const"], fit.params["rm"]
            sd = float(np.sqrt(fit.mse_resid))
            for ws, we in WINDOWS:
                win = pd.DataFrame({"r": r.iloc[i0 + ws : i0 + we + 1]})
                win["rm"] = rm.reindex(win.index)
                ar = (win["r"] - alpha - beta * win["rm"]).dropna()
                if len(ar) != we - ws + 1:
                    continue
                car = float(ar.sum())
                out.append(
                    (
                        event["event_id"],
                        listing["symbol"],
                        ws,
                        we,
                        alpha,
                        beta,
                        sd,
                        car,
                        car / (sd * np.sqrt(we - ws + 1)),
                    )
                )
    return pd.DataFrame(
        out,
        columns=["event_id", "symbol", "window_start", "window_end", "alpha", "beta", "residual_sd", "car", "t_stat"],
    )
