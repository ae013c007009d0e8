"""The trade and self-sufficiency marts after a live refresh against the replay server (real Comtrade records),
checked against the recorded records, the curated figures and independent arithmetic."""

import csv
import json

import pytest

from .conftest import REPLAY_TRADE, ROOT, q

SEEDS = ROOT / "dbt_project" / "seeds" / "curated"


def seed(name):
    with open(SEEDS / f"{name}.csv", newline="") as fh:
        return list(csv.DictReader(fh))


def china_from_usa():
    with open(REPLAY_TRADE) as fh:
        return {int(r["period"]): r["primaryValue"] for r in map(json.loads, fh)
                if r["reporterCode"] == 156 and r["partnerCode"] == 842 and r["flowCode"] == "M"
                and r["freqCode"] == "A" and r["partner2Code"] == 0}


@pytest.mark.real_data
def test_china_imports_from_the_usa_land_once_per_year_at_the_recorded_value(live_warehouse):
    rows = dict(q(live_warehouse[0], "select year, value_usd from marts.fct_ic_trade where reporter_iso3 = 'CHN' "
                                     "and partner_iso3 = 'USA' and hs_code = '8542' and flow = 'import' "
                                     "and frequency = 'annual'"))
    assert rows == pytest.approx(china_from_usa())  # 2015-2017 also hold second-partner rows: not summed


def test_comtrade_codes_and_tiers(live_warehouse):
    rows = {c: (iso, tier) for c, iso, tier in q(live_warehouse[0], "select comtrade_code, iso3, diffusion_tier "
                                                                    "from marts.dim_countries")}
    assert rows[490] == ("TWN", 1)  # "Other Asia, nes" is Taiwan, a Tier-1 destination
    assert rows[842] == ("USA", 1) and rows[156] == ("CHN", 3) and rows[699] == ("IND", 2)
    assert rows[0] == (None, None)  # World is an area, not a country
    assert sum(1 for _, tier in rows.values() if tier == 1) == 19  # the US plus 18 (domain facts §5)


@pytest.mark.real_data
def test_shares_of_china_imports_use_customs_where_comtrade_has_no_world_total(live_warehouse):
    customs = {int(r["year"]): float(r["ic_imports_usd"]) for r in seed("china_ic_customs") if r["ic_imports_usd"]}
    recorded = china_from_usa()
    rows = q(live_warehouse[0], "select year, share_of_total, share_basis, yoy_change from "
                                "marts.fct_china_import_dependence where partner_code = 842 and hs_code = '8542'")
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
        row = q(live_warehouse[0], "select gap_points, years_left, growth_per_year_needed from "
                                   "marts.fct_self_sufficiency_targets where target_id = ?", (target["target_id"],))[0]
        gap = (float(target["target_value"]) - float(latest["value"])) * 100
        assert row[0] == pytest.approx(gap, abs=1e-6) and row[1] == years
        if years > 0:
            expected = (float(target["target_value"]) / float(latest["value"])) ** (1 / years) - 1
            assert row[2] == pytest.approx(expected, abs=1e-6)
        else:
            assert row[2] is None
