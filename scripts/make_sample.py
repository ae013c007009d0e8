"""Regenerate the bundled offline sample: synthetic daily bars in Yahoo chart v8's exact response shape.

The prices are SYNTHETIC (a market model: benchmark random walk, each listing alpha + beta * benchmark + noise),
on each exchange's real trading calendar (exchange_calendars), so offline runs exercise the same calendar logic,
parser and models as live data. They are not market data: the warehouse labels every sample build as such.

    .venv/bin/python scripts/make_sample.py     # writes pipelines/sample/yahoo/*.json.gz, deterministic
"""

import csv
import gzip
import json
from pathlib import Path

import exchange_calendars as xc
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "pipelines" / "sample" / "yahoo"
LISTINGS = ROOT / "dbt_project" / "seeds" / "curated" / "curated_listings.csv"
START, END = "2021-01-04", "2025-10-31"
SEED = 20221007
TZ = {"XNYS": "America/New_York", "XSHG": "Asia/Shanghai", "XHKG": "Asia/Hong_Kong"}
EXCHANGE_NAME = {"XNYS": "NMS", "XSHG": "SHH", "XHKG": "HKG"}


def main() -> None:
    rng = np.random.default_rng(SEED)
    listings = list(csv.DictReader(LISTINGS.open()))
    OUT.mkdir(parents=True, exist_ok=True)
    sessions = {code: xc.get_calendar(code).sessions_in_range(START, END) for code in TZ}
    bench_returns = {}
    for row in listings:  # benchmarks first: every other listing is driven by its own
        if row["is_benchmark"] == "true":
            n = len(sessions[row["trading_calendar"]])
            bench_returns[row["symbol"]] = rng.normal(0.0003, 0.011, n)
    for row in sorted(listings, key=lambda r: r["is_benchmark"] != "true"):
        cal = row["trading_calendar"]
        days = sessions[cal]
        if row["is_benchmark"] == "true":
            r = bench_returns[row["symbol"]]
        else:
            beta = rng.uniform(0.6, 1.8)
            r = 0.0002 + beta * bench_returns[row["benchmark_symbol"]] + rng.normal(0, 0.018, len(days))
        write_chart(row, cal, days, r, rng)


def write_chart(row: dict, cal: str, days: pd.DatetimeIndex, returns: np.ndarray, rng) -> None:
    tz = TZ[cal]
    adj = 100.0 * np.cumprod(1 + returns)
    # a quarterly cash dividend of 0.3% for equities and ETFs: close differs from the adjusted close
    paid = np.zeros(len(days))
    if row["instrument_type"] != "index":
        paid[np.arange(60, len(days), 63)] = 0.003
    factor = np.cumprod((1 - paid)[::-1])[::-1]  # adj = close * product of later dividend factors
    close = adj / np.append(factor[1:], 1.0)
    opens = close * (1 + rng.normal(0, 0.004, len(days)))
    high = np.maximum(opens, close) * (1 + np.abs(rng.normal(0, 0.006, len(days))))
    low = np.minimum(opens, close) * (1 - np.abs(rng.normal(0, 0.006, len(days))))
    volume = rng.integers(1_000_000, 50_000_000, len(days))
    stamps = [int(pd.Timestamp(d.date()).tz_localize(tz).replace(hour=9, minute=30).timestamp()) for d in days]
    r2 = lambda a: [round(float(x), 4) for x in a]  # noqa: E731
    result = {
        "meta": {"currency": row["currency"], "symbol": row["symbol"], "exchangeName": EXCHANGE_NAME[cal],
                 "instrumentType": row["instrument_type"].upper(), "exchangeTimezoneName": tz,
                 "dataGranularity": "1d", "priceHint": 2, "chipwatchSample": "SYNTHETIC prices, not market data"},
        "timestamp": stamps,
        "indicators": {"quote": [{"open": r2(opens), "high": r2(high), "low": r2(low), "close": r2(close),
                                  "volume": [int(v) for v in volume]}],
                       "adjclose": [{"adjclose": r2(adj)}]},
    }
    body = json.dumps({"chart": {"result": [result], "error": None}}, separators=(",", ":")).encode()
    path = OUT / f"{row['symbol'].replace('^', '_')}.json.gz"
    path.write_bytes(gzip.compress(body, mtime=0))
    print(f"{path.relative_to(ROOT)}: {len(days)} sessions")


if __name__ == "__main__":
    main()
