"""Regenerate the bundled offline sample: synthetic daily bars in Yahoo chart v8's exact response shape.

The prices are SYNTHETIC (a market model: benchmark random walk, each listing alpha + beta * benchmark + noise),
on each exchange's real trading calendar (exchange_calendars), so offline runs exercise the same calendar logic,
parser and models as live data. They are not market data: the warehouse labels every sample build as such.

So that the sample shows what the study can find, two things real markets have are planted, known:
- correlated noise: the chip listings of each market share a daily sector factor (FACTOR_SD beside IDIO_SD), so the
  members of a listing group co-move as real ones do (residual correlation ~0.26 in the US, ~0.4 among A-shares);
- event effects: PLANTED adds a known abnormal return on t0 to every chip listing of a market for a few events
  (US chips fall, China's rise), and PLANTED_FAMILIES a small one to every event of a family (US easing: US chips
  +1.5%), which most of its events alone do not show at 5% but the family's pooled test finds. t0 is found here
  independently of the dbt models: the first session of the listing's exchange whose close comes after the
  announcement (seed curated_events, with the default time of day of seed announcement_time_defaults when only the
  date is known). tests/test_event_groups.py checks that the
  warehouse recovers them.

It also writes Kenneth French's two daily factor files (pipelines/sample/french/*_CSV.zip) in the library's exact
file shape, and just as SYNTHETIC (their header says so): on the NYSE sessions, Mkt-RF is the sample's ^GSPC daily
return less RF, RF a constant 0.01 percent a day, SMB, HML and Mom random normals from a generator of their own (the
price files come out the same with or without them). Values in percent, rounded to 2 decimals as the library's are.
They end 2025-09-30, a month before the prices: the library publishes monthly with a lag, so offline builds meet
days whose factors are not published yet.

    .venv/bin/python scripts/make_sample.py     # writes pipelines/sample/yahoo/*.json.gz and
                                                # pipelines/sample/french/*.zip, deterministic (same bytes each run)
"""

import csv
import gzip
import io
import json
import zipfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import exchange_calendars as xc
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "pipelines" / "sample" / "yahoo"
FRENCH_OUT = ROOT / "pipelines" / "sample" / "french"
SEEDS = ROOT / "dbt_project" / "seeds" / "curated"
LISTINGS = SEEDS / "curated_listings.csv"
START, END = "2021-01-04", "2025-10-31"
SEED = 20221007
TZ = {"XNYS": "America/New_York", "XSHG": "Asia/Shanghai", "XHKG": "Asia/Hong_Kong"}
EXCHANGE_NAME = {"XNYS": "NMS", "XSHG": "SHH", "XHKG": "HKG"}
# Chip listings (equities and ADRs of a chip segment, and the semiconductor index/ETF) load on their market's sector
# factor with weight 1; daily standard deviations of the factor and of the idiosyncratic noise, per market region.
CHIP_SEGMENTS = {"ai_accelerators", "networking_custom_silicon", "cpus_foundry", "memory", "equipment", "foundry"}
FACTOR_SD = {"US": 0.009, "China A-share": 0.014, "Hong Kong": 0.012}
IDIO_SD = {"US": 0.015, "China A-share": 0.017, "Hong Kong": 0.016}
# Planted abnormal returns on t0 of every chip equity of a market region (fractions): event -> region -> effect.
PLANTED = {
    "20221007_bis_advanced_computing_ifr": {"US": -0.04, "China A-share": -0.03},
    "20231017_bis_ac_sme_ifr_update": {"US": -0.03, "China A-share": 0.04},
    "20250126_deepseek_app_store_no1": {"US": -0.06, "China A-share": 0.03},
    "20250415_nvda_h20_license_charge": {"US": -0.04, "China A-share": 0.05},
}
# Kenneth French's factors (SYNTHETIC): their own generator (the price files do not depend on them), the last day
# published (a month before END, as the library lags), RF in percent a day, and the daily sd of SMB, HML and Mom.
FRENCH_SEED = 19260701
FRENCH_END = "2025-09-30"
FRENCH_VINTAGE = "202509"
FRENCH_RF_PCT = 0.01
FRENCH_SD_PCT = 0.5
FRENCH_ZIP_TIME = (2025, 10, 31, 0, 0, 0)  # every member's fixed time stamp: the same bytes on every run
# Planted on t0 of every event of a family (seed event_families): an effect too small to stand out on one event (about
# 1.5 standard deviations of the US chip portfolio's daily residual) that pooling the family's events recovers
# (tests/test_event_families.py).
PLANTED_FAMILIES = {"us_easing": {"US": 0.015}}


def planted() -> dict:
    """Every planted effect: event -> region -> abnormal return on t0 (PLANTED and each event of PLANTED_FAMILIES)."""
    effects = {event_id: dict(regions) for event_id, regions in PLANTED.items()}
    for row in csv.DictReader((SEEDS / "event_families.csv").open()):
        for region, effect in PLANTED_FAMILIES.get(row["event_family"], {}).items():
            effects.setdefault(row["event_id"], {})[region] = effects.get(row["event_id"], {}).get(region, 0) + effect
    return effects


def is_chip_equity(row: dict) -> bool:
    return row["segment"] in CHIP_SEGMENTS and row["instrument_type"] in ("equity", "adr")


def announced_at(event: dict, default_times: dict) -> pd.Timestamp:
    """The instant the event became public, as the staging model defines it (local time, or the zone's default)."""
    local = event["announced_time_local"] or default_times[event["announced_tz"]]
    naive = datetime.fromisoformat(f"{event['announced_on']}T{local}")
    return pd.Timestamp(naive.replace(tzinfo=ZoneInfo(event["announced_tz"])))


def planted_t0(calendar: str, events_planted) -> dict:
    """{event_id: t0 session} on `calendar` for the planted events: the first session closing after the news (an
    event after the sample's last session has none, and nothing is planted for it)."""
    events = {e["event_id"]: e for e in csv.DictReader((SEEDS / "curated_events.csv").open())}
    defaults = {
        d["announced_tz"]: d["default_time_local"]
        for d in csv.DictReader((SEEDS / "announcement_time_defaults.csv").open())
    }
    closes = xc.get_calendar(calendar).schedule.loc[START:END, "close"]
    found = {event_id: closes[closes > announced_at(events[event_id], defaults)].index for event_id in events_planted}
    return {event_id: after[0] for event_id, after in found.items() if len(after)}


def benchmark_returns(rng, listings: list[dict], sessions: dict) -> dict[str, np.ndarray]:
    """Each benchmark's synthetic daily returns (fractions), the first draws of main()'s generator: every other
    listing is driven by its own benchmark, and the French sample's Mkt-RF by ^GSPC's."""
    found = {}
    for row in listings:
        if row["is_benchmark"] == "true":
            found[row["symbol"]] = rng.normal(0.0003, 0.011, len(sessions[row["trading_calendar"]]))
    return found


def main() -> None:
    rng = np.random.default_rng(SEED)
    listings = list(csv.DictReader(LISTINGS.open()))
    OUT.mkdir(parents=True, exist_ok=True)
    sessions = {code: xc.get_calendar(code).sessions_in_range(START, END) for code in TZ}
    bench_returns = benchmark_returns(rng, listings, sessions)
    factors = {
        region: rng.normal(0, sd, len(sessions[cal]))
        for region, sd, cal in [
            (r, FACTOR_SD[r], c) for r, c in (("US", "XNYS"), ("China A-share", "XSHG"), ("Hong Kong", "XHKG"))
        ]
    }
    effects_planted = planted()
    t0 = {cal: planted_t0(cal, effects_planted) for cal in TZ}
    for row in sorted(listings, key=lambda r: r["is_benchmark"] != "true"):
        cal = row["trading_calendar"]
        days = sessions[cal]
        region = row["market_region"]
        if row["is_benchmark"] == "true":
            r = bench_returns[row["symbol"]]
        elif is_chip_equity(row) or row["segment"] == "semiconductor_index":
            beta = rng.uniform(0.6, 1.8)
            idio = IDIO_SD[region] / (3 if row["segment"] == "semiconductor_index" else 1)
            market = 0.0002 + beta * bench_returns[row["benchmark_symbol"]]
            r = market + factors[region] + rng.normal(0, idio, len(days))
            if is_chip_equity(row):
                for event_id, effects in effects_planted.items():
                    if region in effects and event_id in t0[cal]:
                        r[days.get_loc(t0[cal][event_id])] += effects[region]
        else:
            beta = rng.uniform(0.6, 1.8)
            r = 0.0002 + beta * bench_returns[row["benchmark_symbol"]] + rng.normal(0, 0.018, len(days))
        write_chart(row, cal, days, r, rng)
    write_french(sessions["XNYS"], bench_returns["^GSPC"])


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
        "meta": {
            "currency": row["currency"],
            "symbol": row["symbol"],
            "exchangeName": EXCHANGE_NAME[cal],
            "instrumentType": row["instrument_type"].upper(),
            "exchangeTimezoneName": tz,
            "dataGranularity": "1d",
            "priceHint": 2,
            "chipwatchSample": "SYNTHETIC prices, not market data",
        },
        "timestamp": stamps,
        "indicators": {
            "quote": [
                {
                    "open": r2(opens),
                    "high": r2(high),
                    "low": r2(low),
                    "close": r2(close),
                    "volume": [int(v) for v in volume],
                }
            ],
            "adjclose": [{"adjclose": r2(adj)}],
        },
    }
    body = json.dumps({"chart": {"result": [result], "error": None}}, separators=(",", ":")).encode()
    path = OUT / f"{row['symbol'].replace('^', '_')}.json.gz"
    path.write_bytes(gzip.compress(body, mtime=0))
    print(f"{path.relative_to(ROOT)}: {len(days)} sessions")


FRENCH_NOTICE = [  # said first in both files; the vintage line keeps the library's wording, which the parser reads
    "This file is a SYNTHETIC chipwatch sample (scripts/make_sample.py), not Kenneth R. French's data: made-up",
    "factors for offline runs. It imitates a file created by using the {vintage} CRSP database.",
]


def write_french(days: pd.DatetimeIndex, gspc_returns: np.ndarray) -> None:
    """The library's daily research factors and momentum files, SYNTHETIC, in its exact shape (see the docstring)."""
    rng = np.random.default_rng(FRENCH_SEED)  # not main()'s generator: the price files stay byte for byte the same
    published = days <= pd.Timestamp(FRENCH_END)
    days, market = days[published], 100 * gspc_returns[published]  # percent, as the library publishes
    smb, hml, mom = (rng.normal(0, FRENCH_SD_PCT, len(days)) for _ in range(3))
    notice = [line.format(vintage=FRENCH_VINTAGE) for line in FRENCH_NOTICE]
    pct = lambda x, width: f"{round(float(x), 2) + 0.0:{width}.2f}"  # noqa: E731 (+ 0.0: never "-0.00")
    stamps = [d.strftime("%Y%m%d") for d in days]
    factors = [
        *notice,
        "Mkt-RF is the sample's synthetic ^GSPC daily return less RF; RF is a constant 0.01 percent a day; SMB",
        "and HML are random normals. Returns are in percent.",
        "",
        ",Mkt-RF,SMB,HML,RF",
        *(
            f"{d},{pct(m - FRENCH_RF_PCT, 8)},{pct(s, 8)},{pct(h, 8)},{pct(FRENCH_RF_PCT, 8)}"
            for d, m, s, h in zip(stamps, market, smb, hml)
        ),
        "",
        "SYNTHETIC sample data, not Eugene F. Fama and Kenneth R. French's",
    ]
    momentum = [
        *notice,
        "Mom is a random normal here, not a momentum factor. Returns are in percent.",
        "",
        "Missing data are indicated by -99.99 or -999.",
        "",
        ",Mom",
        *(f"{d},{pct(m, 7)}" for d, m in zip(stamps, mom)),
        "",
        "SYNTHETIC sample data, not Eugene F. Fama and Kenneth R. French's",
    ]
    FRENCH_OUT.mkdir(parents=True, exist_ok=True)
    for name, lines in (("F-F_Research_Data_Factors_daily", factors), ("F-F_Momentum_Factor_daily", momentum)):
        member = zipfile.ZipInfo(f"{name}.csv", date_time=FRENCH_ZIP_TIME)
        member.create_system, member.external_attr = 0, 0x20  # as the library's zips (made on Windows, "archive")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr(member, "\r\n".join(lines) + "\r\n", zipfile.ZIP_DEFLATED, 9)  # the library's CRLF
        path = FRENCH_OUT / f"{name}_CSV.zip"
        path.write_bytes(buffer.getvalue())
        print(f"{path.relative_to(ROOT)}: {len(days)} sessions to {FRENCH_END}, SYNTHETIC")


if __name__ == "__main__":
    main()
