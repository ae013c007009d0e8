"""The story's claims as data (seeds story_claims, claim_tests) and their verdicts (fct_claim_evidence, fct_claims):
on the replay server's real data each value is read back from the mart it names and each verdict is recomputed here
by the seed's rule, independently of the SQL; on the synthetic sample no verdict is presented as evidence."""

import csv
import html
import os
import re

import pytest

from pipelines.lib.report import CHARTS

from .conftest import ROOT, chipwatch_env, q, recorded_thai_imports, run_chipwatch
from .test_dashboard import CHROMIUM, CHROMIUM_ARGS, screenshot_dir

SEEDS = ROOT / "dbt_project" / "seeds" / "curated"
VERDICTS = {"supported", "partly supported", "mixed", "not supported", "contradicted", "not testable"}
DECIDING = {"supported", "not supported", "contradicted"}
BOUND = {"consistent with a ceiling", "not testable from specs"}


def seed(name):
    with open(SEEDS / f"{name}.csv", newline="") as fh:
        return list(csv.DictReader(fh))


def rule(test, value, p_value):
    """The evidence rule of the seed's kind of evidence, written again in Python."""
    kind = test["evidence_kind"]
    if kind == "context":
        return "context (not counted)"
    if value is None:
        return "not enough data"
    threshold, tolerance = float(test["threshold"]), float(test["tolerance"] or 0)
    comparison = test["comparison"]
    passes = {
        "lt": value < threshold,
        "le": value <= threshold,
        "gt": value > threshold,
        "ge": value >= threshold,
        "within": abs(value - threshold) <= tolerance,
    }[comparison]
    if kind == "statistical":
        significant = p_value is not None and p_value <= float(test["max_p_value"])
        other_way = {
            "lt": value > threshold,
            "le": value > threshold,
            "gt": value < threshold,
            "ge": value < threshold,
        }.get(comparison, False)
        return (
            "supported" if passes and significant else "contradicted" if other_way and significant else "not supported"
        )
    if kind == "bound":
        missed_by = {
            "ge": threshold - value,
            "gt": threshold - value,
            "le": value - threshold,
            "lt": value - threshold,
        }.get(comparison, abs(value - threshold))
        return (
            "consistent with a ceiling"
            if passes
            else "contradicted"
            if missed_by > tolerance
            else "not testable from specs"
        )
    return "supported" if passes else "not supported"


def claim_rule(verdicts: list[str]) -> str:
    """A claim's verdict from its evidence rows' verdicts, by the rule fct_claims states."""
    supported, against = verdicts.count("supported"), verdicts.count("contradicted")
    deciding = [v for v in verdicts if v in DECIDING]
    if not deciding:
        return "not testable"
    if against and not supported:
        return "contradicted"
    if supported and len(deciding) > supported:
        return "mixed"
    if supported and not any(v == "not enough data" or v in BOUND for v in verdicts):
        return "supported"
    return "partly supported" if supported else "not supported"


def test_every_claim_has_tests_and_one_verdict(live_warehouse):
    claims = {r["claim_id"] for r in seed("story_claims")}
    assert {t["claim_id"] for t in seed("claim_tests")} == claims  # every claim is tested
    rows = q(live_warehouse[0], "select claim_id, verdict, source_mode from marts.fct_claims")
    assert sorted(r[0] for r in rows) == sorted(claims)
    assert all(verdict in VERDICTS and mode == "live" for _, verdict, mode in rows)


def test_each_evidence_verdict_follows_its_rule(live_warehouse):
    tests = {t["test_id"]: t for t in seed("claim_tests")}
    rows = q(
        live_warehouse[0],
        "select test_id, value, p_value, verdict, verdict_on_data, evidence_kind from marts.fct_claim_evidence",
    )
    assert {r[0] for r in rows} == set(tests)
    for test_id, value, p_value, verdict, on_data, kind in rows:
        assert kind == tests[test_id]["evidence_kind"], test_id
        assert verdict == on_data == rule(tests[test_id], value, p_value), (test_id, value, p_value)


def test_claim_verdicts_follow_their_evidence(live_warehouse):
    evidence = q(live_warehouse[0], "select claim_id, verdict from marts.fct_claim_evidence")
    for claim_id, verdict in q(live_warehouse[0], "select claim_id, verdict from marts.fct_claims"):
        assert verdict == claim_rule([v for c, v in evidence if c == claim_id]), claim_id


def test_the_claim_rule_by_hand():
    assert claim_rule(["supported", "supported"]) == "supported"
    assert claim_rule(["supported", "not enough data"]) == "partly supported"
    assert claim_rule(["supported", "consistent with a ceiling"]) == "partly supported"
    assert claim_rule(["supported", "not supported"]) == "mixed"
    assert claim_rule(["contradicted", "not supported"]) == "contradicted"
    assert claim_rule(["consistent with a ceiling", "context (not counted)"]) == "not testable"
    assert claim_rule(["not supported", "not enough data"]) == "not supported"
    assert claim_rule([]) == "not testable"


# Cambricon's reported annual revenue, CNY million (annual reports 2023-2025, as the seed's notes cite them)
CAMBRICON_ANNUAL = {"2023": 709.39, "2024": 1174.46, "2025": 6497.0}


def test_cambricon_s_quarters_add_up_to_its_reported_years_and_the_growth_is_recomputed(sample_warehouse):
    quarters = seed("cambricon_quarterly_revenue")
    for year, total in CAMBRICON_ANNUAL.items():
        summed = sum(float(r["revenue_cny_m"]) for r in quarters if r["period"].startswith(year))
        assert summed == pytest.approx(total, abs=0.5), year  # quarters are rounded to 0.01-1 CNY m in the sources
    revenue = [float(r["revenue_cny_m"]) for r in sorted(quarters, key=lambda r: r["period_start"])]
    expected = {
        quarters_sorted["period"]: sum(revenue[i - 3 : i + 1]) / sum(revenue[i - 7 : i - 3]) - 1
        for i, quarters_sorted in enumerate(sorted(quarters, key=lambda r: r["period_start"]))
        if i >= 7
    }
    rows = dict(
        q(
            sample_warehouse[0],
            "select period, revenue_growth_trailing_4q from marts.fct_cambricon_quarterly_revenue "
            "where revenue_growth_trailing_4q is not null",
        )
    )
    assert rows.keys() == expected.keys() and all(rows[p] == pytest.approx(g, rel=1e-12) for p, g in expected.items())
    # the claim's test reads the latest: 6,497 over 1,174.31 (the 2024 quarters as seeded), about +453%
    assert expected["2025Q4"] == pytest.approx(6497 / 1174.31 - 1, rel=1e-9)


def test_the_domestic_share_change_compares_one_series_only(sample_warehouse):
    idc = sorted(
        (r["period_end"], float(r["domestic_vendors_share"]))
        for r in seed("china_ai_accelerator_share_estimates")
        if r["publisher"].startswith("IDC")
        and r["period_basis"] == "shipments_units"
        and r["is_forecast"] == "false"
        and r["domestic_vendors_share"]
    )
    ((value,),) = q(
        sample_warehouse[0], "select value from marts.fct_claim_evidence where test_id = 'idc_domestic_share_change'"
    )
    assert value == pytest.approx(idc[-1][1] - idc[0][1], abs=1e-12) and len(idc) >= 2


@pytest.mark.real_data
def test_the_recorded_verdicts_say_no_more_than_their_evidence(live_warehouse):
    """On the recording: no pooled reaction is significant after the q adjustment under any model, so the share claims
    are not supported; the 910C figure has only a spec-based ceiling and the 2028 target no series of its own metric,
    so neither is testable; the DeepSeek claim has no dated revision, so at most partly supported."""
    verdicts = dict(q(live_warehouse[0], "select claim_id, verdict from marts.fct_claims"))
    assert verdicts["controls_hit_us_chip_shares"] == "not supported"
    assert verdicts["ascend_910c_60pct_h100_inference"] == "not testable"
    assert verdicts["china_self_sufficiency_70pct_by_2028"] == "not testable"
    assert verdicts["deepseek_shifts_demand_to_inference"] == "partly supported"
    models = q(
        live_warehouse[0],
        "select subject from marts.fct_claim_evidence where test_id = 'nvda_amd_pooled_on_us_tightening' order by 1",
    )
    assert [m for (m,) in models] == [
        f"{s} {m}"
        for s in ("AMD", "NVDA")
        for m in ("carhart_four_factor", "constant_mean", "market_adjusted", "market_model")
    ]


@pytest.mark.real_data
def test_evidence_values_are_the_marts_values(live_warehouse):
    home = live_warehouse[0]
    pooled = dict(
        q(
            home,
            "select subject || ' ' || model, caar from marts.fct_event_family_reactions "
            "where event_family = 'us_tightening' and subject in ('us_chip_equities', 'NVDA', 'AMD') "
            "and window_start = 0 and window_end = 1 and confounded_events = "
            "case when subject_type = 'group' then 'included' else 'excluded' end",
        )
    )
    evidence = dict(
        q(
            home,
            "select subject, value from marts.fct_claim_evidence where test_id in "
            "('us_chip_portfolio_pooled_on_us_tightening', 'nvda_amd_pooled_on_us_tightening')",
        )
    )
    assert evidence == pooled and len(evidence) == 11
    systems = dict(q(home, "select system_id, computed_dense_bf16_pflops from marts.fct_system_comparison"))
    ratio = q(home, "select value from marts.fct_claim_evidence where test_id = 'cm384_dense_bf16_ratio'")[0][0]
    assert ratio == pytest.approx(systems["huawei_cloudmatrix_384"] / systems["nvidia_gb200_nvl72"], rel=1e-12)
    # Thailand is the one Tier-2 reporter of both 2022 and a later year in the recording (2024 its latest): the
    # change in China's and Hong Kong's share of its IC imports, from its records summed by hand
    thai = recorded_thai_imports()
    share = {y: (thai[(y, 156)] + thai[(y, 344)]) / thai[(y, 0)] for y in (2022, 2024)}
    ((value, as_of, keys),) = q(
        home,
        "select value, as_of_date, evidence_keys from marts.fct_claim_evidence "
        "where test_id = 'tier2_china_share_change_since_2022'",
    )
    assert value == pytest.approx(share[2024] - share[2022], abs=1e-12) and value < 0
    assert as_of.isoformat() == "2024-12-31" and keys.endswith(": THA")


def test_the_synthetic_sample_gives_no_verdict_as_evidence(sample_warehouse):
    home = sample_warehouse[0]
    for table in ("fct_claims", "fct_claim_evidence"):
        verdicts = {r[0] for r in q(home, f"select distinct verdict from marts.{table}")}
        assert verdicts == {"not evidence (synthetic sample)"}, table
    reasons = [r[0] for r in q(home, "select verdict_reason from marts.fct_claims")]
    assert all(r.endswith("built from the synthetic sample: not evidence") for r in reasons)


def test_the_report_is_one_offline_file_with_every_claim_and_chart(live_warehouse, tmp_path):
    home, env, _ = live_warehouse
    out = tmp_path / "report.html"
    proc = run_chipwatch("report", "--out", str(out), env=env)
    assert proc.returncode == 0, proc.stderr
    text = out.read_text()
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=['\"]https?:", text)  # nothing fetched: opens offline
    for wording, verdict in q(home, "select wording, verdict from marts.fct_claims"):
        assert html.escape(wording) in text and f"<b>{verdict}</b>" in text
    if not CHROMIUM:
        if os.environ.get("CHIPWATCH_REQUIRE_BROWSER"):
            pytest.fail("Chromium is not installed")
        pytest.skip("Chromium is not installed: `apt-get install -y chromium` (CI installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 1000})
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(out.as_uri())
        page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 8", timeout=60_000)
        assert page.locator(".js-plotly-plot").count() == len(CHARTS) and not errors
        page.screenshot(path=str(screenshot_dir(tmp_path) / "report.png"), full_page=True)
        browser.close()
    print(f"\nreport screenshot: {screenshot_dir(tmp_path) / 'report.png'}")


def test_a_sample_report_carries_the_synthetic_banner(sample_warehouse, tmp_path):
    home, env, _ = sample_warehouse
    out = tmp_path / "report.html"
    assert run_chipwatch("report", "--out", str(out), env=env).returncode == 0
    text = out.read_text()
    assert "SYNTHETIC SAMPLE" in text and "<b>not evidence (synthetic sample)</b>" in text


def test_with_chipwatch_report_set_each_publish_writes_the_report(tmp_path):
    home = tmp_path / "home"
    env = chipwatch_env(home, CHIPWATCH_REPORT="1")
    proc = run_chipwatch("refresh", env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr[-2000:]
    text = (home / "report.html").read_text()
    assert "SYNTHETIC SAMPLE" in text and text.count('class="plotly-graph-div"') == len(CHARTS)
