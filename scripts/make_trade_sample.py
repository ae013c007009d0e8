"""Regenerate the bundled offline trade sample: SYNTHETIC UN Comtrade v1 records (the real record shape, every field,
descriptions null as without includeDesc) for the queries chipwatch makes. Values are made up (a trend with noise),
not trade statistics; the warehouse labels every sample build as synthetic.

    .venv/bin/python scripts/make_trade_sample.py    # writes pipelines/sample/comtrade/records.jsonl.gz
"""

import gzip
import json
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "pipelines" / "sample" / "comtrade" / "records.jsonl.gz"
YEARS = range(2010, 2026)
MONTHS = [(y, m) for y in (2024, 2025, 2026) for m in range(1, 13) if (y, m) < (2026, 11)]
CHINA, WORLD, USA = 156, 0, 842
# synthetic shares of China's imports by partner, per HS code (a made-up but plausible mix)
PARTNER_SHARE = {
    "8542": {842: 0.03, 490: 0.36, 410: 0.20, 392: 0.06, 458: 0.08, 704: 0.05, 702: 0.03, 528: 0.01},
    "8486": {842: 0.18, 490: 0.05, 410: 0.06, 392: 0.30, 458: 0.02, 704: 0.01, 702: 0.06, 528: 0.22},
}
CHINA_TOTAL_2010 = {"8542": 157e9, "8486": 9e9}
REPORTERS = [
    842,
    490,
    410,
    392,
    458,
    704,
    702,
    528,
    276,
    251,
    826,
    380,
    124,
    36,
    699,
    784,
    682,
    376,
    757,
    764,
    608,
    360,
    484,
    76,
    616,
]

# Tier-2 sourcing (SYNTHETIC): a few Tier-2 countries' imports of ICs (8542), computers (8471) and their parts (8473)
# from the World, China, Hong Kong, the USA and Taiwan, annual 2015-2025 and monthly from 2023, and China's and the
# USA's exports to them (the mirror view). Some countries "turn to China" after 2022 (China's share drifts up), Saudi
# Arabia reports no imports for 2024-2025 and the UAE none for 2025 (only the mirror sees them), neither monthly.
HONG_KONG, TAIWAN = 344, 490
TIER2_REPORTERS = {  # Comtrade code -> (scale of 2015 imports in USD, China's share drifts up after 2022)
    699: (40e9, False),
    458: (60e9, True),
    702: (80e9, False),
    784: (15e9, True),
    682: (8e9, True),
    704: (50e9, True),
    764: (20e9, False),
    360: (10e9, True),
    484: (45e9, False),
    76: (12e9, False),
    376: (9e9, False),
    757: (7e9, False),
    616: (11e9, False),
    608: (25e9, False),
}
TIER2_CODES = {"8542": 1.0, "8471": 0.45, "8473": 0.25}  # share of the country's scale per HS code
TIER2_BASE_SHARES = {  # partner -> share of the total per HS code (the rest: other partners)
    "8542": {CHINA: 0.12, HONG_KONG: 0.08, USA: 0.06, TAIWAN: 0.26},
    "8471": {CHINA: 0.34, HONG_KONG: 0.05, USA: 0.12, TAIWAN: 0.14},
    "8473": {CHINA: 0.26, HONG_KONG: 0.06, USA: 0.08, TAIWAN: 0.20},
}
TIER2_YEARS = range(2015, 2026)
TIER2_MONTHS = [(y, m) for y in (2023, 2024, 2025, 2026) for m in range(1, 13) if (y, m) < (2026, 11)]
NOT_REPORTED = {682: {2024, 2025}, 784: {2025}}  # annual imports missing (the mirror still sees the trade)
NO_MONTHLY = {682, 784}


def record(freq, year, month, reporter, partner, flow, cmd, value, rng):
    period = str(year) if freq == "A" else f"{year}{month:02d}"
    return {
        "typeCode": "C",
        "freqCode": freq,
        "refPeriodId": int(f"{year}{month or 1:02d}01"),
        "refYear": year,
        "refMonth": 52 if freq == "A" else month,
        "period": period,
        "reporterCode": reporter,
        "reporterISO": None,
        "reporterDesc": None,
        "flowCode": flow,
        "flowDesc": None,
        "partnerCode": partner,
        "partnerISO": None,
        "partnerDesc": None,
        "partner2Code": 0,
        "partner2ISO": None,
        "partner2Desc": None,
        "classificationCode": "H6",
        "classificationSearchCode": "HS",
        "isOriginalClassification": True,
        "cmdCode": cmd,
        "cmdDesc": None,
        "aggrLevel": None,
        "isLeaf": None,
        "customsCode": "C00",
        "customsDesc": None,
        "mosCode": "0",
        "motCode": 0,
        "motDesc": None,
        "qtyUnitCode": -1,
        "qtyUnitAbbr": None,
        "qty": None,
        "isQtyEstimated": False,
        "altQtyUnitCode": -1,
        "altQtyUnitAbbr": None,
        "altQty": None,
        "isAltQtyEstimated": False,
        "netWgt": round(value / 9000.0, 0),
        "isNetWgtEstimated": False,
        "grossWgt": None,
        "isGrossWgtEstimated": False,
        "cifvalue": round(value, 0) if flow == "M" else None,
        "fobvalue": round(value, 0) if flow == "X" else None,
        "primaryValue": round(value, 0),
        "legacyEstimationFlag": 0,
        "isReported": True,
        "isAggregate": False,
    }


def key(r: dict) -> tuple:
    return r["freqCode"], r["period"], r["reporterCode"], r["partnerCode"], r["flowCode"], r["cmdCode"]


def tier2_rows(rng) -> list[dict]:
    """The Tier-2 sourcing records: each reporter's imports by partner and the mirror exports of China and the USA."""
    rows = []
    for reporter, (scale, turns) in TIER2_REPORTERS.items():
        for cmd, weight in TIER2_CODES.items():
            periods = [("A", y, 0, 1.0) for y in TIER2_YEARS]
            periods += [("M", y, m, 1 / 12) for y, m in TIER2_MONTHS if reporter not in NO_MONTHLY]
            for freq, year, month, part in periods:
                total = scale * weight * part * (1.06 ** (year - 2015)) * rng.uniform(0.9, 1.1)
                drift = 1 + 0.15 * max(0, year - 2022) if turns else 1.0
                values = {
                    p: total * share * (drift if p in (CHINA, HONG_KONG) else 1) * rng.uniform(0.85, 1.15)
                    for p, share in TIER2_BASE_SHARES[cmd].items()
                }
                if freq == "M" or year not in NOT_REPORTED.get(reporter, ()):
                    rows.append(record(freq, year, month, reporter, WORLD, "M", cmd, total, rng))
                    rows += [record(freq, year, month, reporter, p, "M", cmd, v, rng) for p, v in values.items()]
                for exporter in (CHINA, USA):  # exports valued FOB: a little under the importer's CIF figure
                    mirror = values[exporter] * 0.95 * rng.uniform(0.9, 1.1)
                    rows.append(record(freq, year, month, exporter, reporter, "X", cmd, mirror, rng))
    return rows


def main() -> None:
    rng = np.random.default_rng(20250113)
    rows = []
    for cmd, base in CHINA_TOTAL_2010.items():
        for i, year in enumerate(YEARS):
            total = base * (1.07**i) * rng.uniform(0.93, 1.07)
            rows.append(record("A", year, 0, CHINA, WORLD, "M", cmd, total, rng))
            for partner, share in PARTNER_SHARE[cmd].items():
                rows.append(
                    record("A", year, 0, CHINA, partner, "M", cmd, total * share * rng.uniform(0.85, 1.15), rng)
                )
        for year, month in MONTHS:
            total = base * (1.07 ** (year - 2010)) / 12 * rng.uniform(0.85, 1.15)
            rows.append(record("M", year, month, CHINA, WORLD, "M", cmd, total, rng))
            for partner, share in PARTNER_SHARE[cmd].items():
                rows.append(
                    record("M", year, month, CHINA, partner, "M", cmd, total * share * rng.uniform(0.8, 1.2), rng)
                )
    for reporter in REPORTERS:
        scale = rng.uniform(2e9, 60e9)
        for i, year in enumerate(YEARS):
            rows.append(
                record("A", year, 0, reporter, WORLD, "X", "8542", scale * (1.06**i) * rng.uniform(0.9, 1.1), rng)
            )
            if reporter != USA:
                for cmd in ("8542", "8486"):
                    rows.append(
                        record(
                            "A", year, 0, reporter, USA, "M", cmd, scale * 0.02 * (1.05**i) * rng.uniform(0.7, 1.3), rng
                        )
                    )
        for year, month in MONTHS:
            rows.append(
                record(
                    "M",
                    year,
                    month,
                    reporter,
                    WORLD,
                    "X",
                    "8542",
                    scale * (1.06 ** (year - 2010)) / 12 * rng.uniform(0.85, 1.15),
                    rng,
                )
            )
    tier2 = tier2_rows(np.random.default_rng(20250113 + 2))
    # the Tier-2 rows restate some of the reporters' imports from the USA above: one record per key, the Tier-2 one
    restated = {key(r) for r in tier2}
    rows = [r for r in rows if key(r) not in restated] + tier2
    OUT.parent.mkdir(parents=True, exist_ok=True)
    body = "".join(json.dumps(r, separators=(",", ":")) + "\n" for r in rows).encode()
    OUT.write_bytes(gzip.compress(body, mtime=0))
    print(f"{OUT.relative_to(ROOT)}: {len(rows)} records")


if __name__ == "__main__":
    main()
