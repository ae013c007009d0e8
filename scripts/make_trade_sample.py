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
REPORTERS = [842, 490, 410, 392, 458, 704, 702, 528, 276, 251, 826, 380, 124, 36, 699, 784, 682, 376, 757, 764,
             608, 360, 484, 76, 616]


def record(freq, year, month, reporter, partner, flow, cmd, value, rng):
    period = str(year) if freq == "A" else f"{year}{month:02d}"
    return {
        "typeCode": "C", "freqCode": freq, "refPeriodId": int(f"{year}{month or 1:02d}01"), "refYear": year,
        "refMonth": 52 if freq == "A" else month, "period": period, "reporterCode": reporter, "reporterISO": None,
        "reporterDesc": None, "flowCode": flow, "flowDesc": None, "partnerCode": partner, "partnerISO": None,
        "partnerDesc": None, "partner2Code": 0, "partner2ISO": None, "partner2Desc": None,
        "classificationCode": "H6", "classificationSearchCode": "HS", "isOriginalClassification": True,
        "cmdCode": cmd, "cmdDesc": None, "aggrLevel": None, "isLeaf": None, "customsCode": "C00",
        "customsDesc": None, "mosCode": "0", "motCode": 0, "motDesc": None, "qtyUnitCode": -1,
        "qtyUnitAbbr": None, "qty": None, "isQtyEstimated": False, "altQtyUnitCode": -1, "altQtyUnitAbbr": None,
        "altQty": None, "isAltQtyEstimated": False, "netWgt": round(value / 9000.0, 0),
        "isNetWgtEstimated": False, "grossWgt": None, "isGrossWgtEstimated": False,
        "cifvalue": round(value, 0) if flow == "M" else None, "fobvalue": round(value, 0) if flow == "X" else None,
        "primaryValue": round(value, 0), "legacyEstimationFlag": 0, "isReported": True, "isAggregate": False,
    }


def main() -> None:
    rng = np.random.default_rng(20250113)
    rows = []
    for cmd, base in CHINA_TOTAL_2010.items():
        for i, year in enumerate(YEARS):
            total = base * (1.07 ** i) * rng.uniform(0.93, 1.07)
            rows.append(record("A", year, 0, CHINA, WORLD, "M", cmd, total, rng))
            for partner, share in PARTNER_SHARE[cmd].items():
                rows.append(record("A", year, 0, CHINA, partner, "M", cmd, total * share * rng.uniform(0.85, 1.15), rng))
        for year, month in MONTHS:
            total = base * (1.07 ** (year - 2010)) / 12 * rng.uniform(0.85, 1.15)
            rows.append(record("M", year, month, CHINA, WORLD, "M", cmd, total, rng))
            for partner, share in PARTNER_SHARE[cmd].items():
                rows.append(record("M", year, month, CHINA, partner, "M", cmd, total * share * rng.uniform(0.8, 1.2), rng))
    for reporter in REPORTERS:
        scale = rng.uniform(2e9, 60e9)
        for i, year in enumerate(YEARS):
            rows.append(record("A", year, 0, reporter, WORLD, "X", "8542", scale * (1.06 ** i) * rng.uniform(0.9, 1.1), rng))
            if reporter != USA:
                for cmd in ("8542", "8486"):
                    rows.append(record("A", year, 0, reporter, USA, "M", cmd, scale * 0.02 * (1.05 ** i) * rng.uniform(0.7, 1.3), rng))
        for year, month in MONTHS:
            rows.append(record("M", year, month, reporter, WORLD, "X", "8542", scale * (1.06 ** (year - 2010)) / 12 * rng.uniform(0.85, 1.15), rng))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    body = "".join(json.dumps(r, separators=(",", ":")) + "\n" for r in rows).encode()
    OUT.write_bytes(gzip.compress(body, mtime=0))
    print(f"{OUT.relative_to(ROOT)}: {len(rows)} records")


if __name__ == "__main__":
    main()
