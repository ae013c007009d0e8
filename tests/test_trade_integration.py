"""The trade and self-sufficiency marts after a live refresh against the replay server (real Comtrade records),
checked against the recorded records, the curated figures and independent arithmetic."""

import csv
import gzip
import json
from collections import Counter

import pytest

from pipelines.lib import comtrade, countries

from .conftest import REPLAY_TRADE, ROOT, q, recorded_thai_imports

SEEDS = ROOT / "dbt_project" / "seeds" / "curated"


def seed(name):
    with open(SEEDS / f"{name}.csv", newline="") as fh:
        return list(csv.DictReader(fh))


def china_from_usa():
    with open(REPLAY_TRADE) as fh:
        return {
            int(r["period"]): r["primaryValue"]
            for r in map(json.loads, fh)
            if r["reporterCode"] == 156
            and r["partnerCode"] == 842
            and r["flowCode"] == "M"
            and r["freqCode"] == "A"
            and r["partner2Code"] == 0
        }


@pytest.mark.real_data
def test_china_imports_from_the_usa_land_once_per_year_at_the_recorded_value(live_warehouse):
    rows = dict(
        q(
            live_warehouse[0],
            "select year, value_usd from marts.fct_ic_trade where reporter_iso3 = 'CHN' "
            "and partner_iso3 = 'USA' and hs_code = '8542' and flow = 'import' "
            "and frequency = 'annual'",
        )
    )
    assert rows == pytest.approx(china_from_usa())  # 2015-2017 also hold second-partner rows: not summed


def test_comtrade_codes_and_tiers(live_warehouse):
    rows = {
        c: (iso, tier)
        for c, iso, tier in q(live_warehouse[0], "select comtrade_code, iso3, diffusion_tier from marts.dim_countries")
    }
    assert rows[490] == ("TWN", 1)  # "Other Asia, nes" is Taiwan, a Tier-1 destination
    assert rows[842] == ("USA", 1) and rows[156] == ("CHN", 3) and rows[699] == ("IND", 2)
    assert rows[0] == (None, None)  # World is an area, not a country
    assert sum(1 for _, tier in rows.values() if tier == 1) == 19  # the US plus 18 (domain facts §5)


@pytest.mark.real_data
def test_shares_of_china_imports_use_customs_where_comtrade_has_no_world_total(live_warehouse):
    customs = {int(r["year"]): float(r["ic_imports_usd"]) for r in seed("china_ic_customs") if r["ic_imports_usd"]}
    recorded = china_from_usa()
    rows = q(
        live_warehouse[0],
        "select year, share_of_total, share_basis, yoy_change from "
        "marts.fct_china_import_dependence where partner_code = 842 and hs_code = '8542'",
    )
    checked = 0
    for year, share, basis, yoy in rows:
        if year in customs:
            assert basis == "customs_total"
            assert share == pytest.approx(recorded[year] / customs[year], abs=1e-9)
            checked += 1
        if year - 1 in recorded:
            assert yoy == pytest.approx(recorded[year] / recorded[year - 1] - 1, abs=1e-9)
    assert checked >= 5


def test_growth_needed_for_each_target(live_warehouse):
    estimates = [r for r in seed("self_sufficiency_estimates") if r["is_forecast"] == "false" and r["value"]]
    for target in seed("policy_targets"):
        actual = [r for r in estimates if r["metric"] == target["metric"]]
        latest = max(actual, key=lambda r: int(r["year"]))
        years = int(target["target_year"]) - int(latest["year"])
        row = q(
            live_warehouse[0],
            "select gap_points, years_left, growth_per_year_needed from "
            "marts.fct_self_sufficiency_targets where target_id = ?",
            (target["target_id"],),
        )[0]
        gap = (float(target["target_value"]) - float(latest["value"])) * 100
        assert row[0] == pytest.approx(gap, abs=1e-6) and row[1] == years
        if years > 0:
            expected = (float(target["target_value"]) / float(latest["value"])) ** (1 / years) - 1
            assert row[2] == pytest.approx(expected, abs=1e-6)
        else:
            assert row[2] is None


def sample_records():
    with gzip.open(comtrade.SAMPLE_FILE, "rt") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def test_tier2_sourcing_matches_the_sample_records_computed_independently(sample_warehouse):
    """Shares, absent partners, the mirror and completeness, recomputed in plain Python from the bundled (synthetic)
    records: every annual row of every country the sample has."""
    value = {}
    for r in sample_records():
        if r["freqCode"] == "A" and r["cmdCode"] in ("8542", "8471", "8473") and r["partner2Code"] == 0:
            value[(r["flowCode"], r["reporterCode"], r["partnerCode"], r["cmdCode"], int(r["period"]))] = r[
                "primaryValue"
            ]
    rows = q(
        sample_warehouse[0],
        "select comtrade_code, year, hs_code, country_reported, china_share, "
        "china_incl_hk_share, usa_share, taiwan_share, share_null_reason, "
        "mirror_china_share_of_china_and_usa, tier2_countries_reporting "
        "from marts.fct_tier2_sourcing where frequency = 'annual'",
    )
    reporting = Counter(
        (y, c)
        for (flow, rep, partner, c, y) in value
        if flow == "M" and partner == 0 and rep in countries.tier2_comtrade_codes()
    )
    checked = 0
    for code, year, hs, reported, cn, cnhk, us, tw, reason, mirror, n in rows:
        assert n == reporting[(year, hs)]
        total = value.get(("M", code, 0, hs, year))
        assert reported == (total is not None)
        if total is None:
            assert cn is None and reason.startswith("not reported")
        else:

            def v(partner, code=code, hs=hs, year=year):
                return value.get(("M", code, partner, hs, year), 0.0)

            assert (cn, cnhk, us, tw) == pytest.approx(
                (v(156) / total, (v(156) + v(344)) / total, v(842) / total, v(490) / total), abs=1e-12
            )
            checked += 1
        china, usa = value.get(("X", 156, code, hs, year)), value.get(("X", 842, code, hs, year))
        if china is not None and usa is not None:
            assert mirror == pytest.approx(china / (china + usa), abs=1e-12)
    assert checked >= 12 * 11 * 3  # the sample's reporting countries, 2015-2025, three codes


def test_tier2_countries_that_did_not_report_are_seen_through_the_mirror(sample_warehouse):
    rows = q(
        sample_warehouse[0],
        "select year, country_reported, china_share, share_null_reason, "
        "china_exports_to_country_usd, tier2_countries_reporting, tier2_countries "
        "from marts.fct_tier2_sourcing where frequency = 'annual' and country_iso3 = 'SAU' "
        "and hs_code = '8542' and year >= 2023 order by year",
    )
    # the synthetic sample leaves Saudi Arabia's 2024 and 2025 imports unreported (scripts/make_trade_sample.py)
    assert [r[1] for r in rows] == [True, False, False]
    assert rows[1][2] is None and rows[1][3].startswith("not reported") and rows[1][4] > 0
    assert rows[0][6] == len(countries.tier2_comtrade_codes())


@pytest.mark.real_data
def test_tier2_sourcing_for_thailand_equals_its_recorded_imports_summed_by_hand(live_warehouse):
    """Thailand is the one Tier-2 reporter with partner detail in the recording (annual 2014-2024; the Tier-2
    queries ask from 2015): its rows equal the records, the World record is the total (the partner records add up to it), and the shares follow."""
    value = recorded_thai_imports()
    assert sorted({y for y, _ in value}) == list(range(2014, 2025))
    years = list(range(comtrade.TIER2_FIRST_YEAR, 2025))  # the Tier-2 queries ask from 2015 on
    rows = q(
        live_warehouse[0],
        "select year, imports_total_usd, imports_from_china_usd, imports_from_hong_kong_usd, "
        "imports_from_usa_usd, imports_from_taiwan_usd, china_incl_hk_share, taiwan_share "
        "from marts.fct_tier2_sourcing where frequency = 'annual' and country_iso3 = 'THA' "
        "and hs_code = '8542' and country_reported order by year",
    )
    assert [r[0] for r in rows] == years
    for year, total, china, hong_kong, usa, taiwan, china_hk_share, taiwan_share in rows:
        world = value[(year, 0)]
        assert sum(v for (y, p), v in value.items() if y == year and p != 0) == pytest.approx(world, rel=1e-9)
        assert (total, china, hong_kong, usa, taiwan) == pytest.approx(
            (world, value[(year, 156)], value[(year, 344)], value[(year, 842)], value[(year, 490)]), rel=1e-12
        )
        assert china_hk_share == pytest.approx((value[(year, 156)] + value[(year, 344)]) / world, abs=1e-12)
        assert taiwan_share == pytest.approx(value[(year, 490)] / world, abs=1e-12)
    shares = {r[0]: (r[6], r[7]) for r in rows}
    # the reading of the recording: China + Hong Kong 13.3% in 2022, 10.5% in 2024; Taiwan 31% -> 44%
    assert [round(100 * shares[y][0], 1) for y in (2022, 2024)] == [13.3, 10.5]
    assert [round(100 * shares[y][1]) for y in (2022, 2024)] == [31, 44]
    # every other Tier-2 country answered count 0 in the recording: not reported, share null with the reason
    others = q(
        live_warehouse[0],
        "select count(*), count(china_share), min(share_null_reason) from "
        "marts.fct_tier2_sourcing where country_iso3 <> 'THA' and hs_code = '8542'",
    )[0]
    assert others[0] > 0 and others[1] == 0 and others[2].startswith("not reported")
