"""Reactions pooled across event families (marts.fct_event_family_reactions) and the multiple-testing adjustments,
recomputed independently: the pooled figures with numpy and scipy from the group and listing marts, the q-values
with statsmodels' multipletests, the sign test with scipy's exact binomial test."""

import csv
from collections import defaultdict

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests

from .conftest import ROOT, q, sample_generator

FAMILIES_SEED = ROOT / "dbt_project" / "seeds" / "curated" / "event_families.csv"
COLUMNS = (
    "event_family, subject_type, subject, model, window_start, window_end, family_events, events, "
    "events_included, events_excluded, caar, caar_se_from_events, t_from_events, df_from_events, "
    "p_value_from_events, ci_low_from_events, ci_high_from_events, caar_se_across_events, t_across_events, "
    "df_across_events, p_value_across_events, ci_low_across_events, ci_high_across_events, positive_events, "
    "sign_test_p_value, q_value, p_bonferroni, multiple_testing_family, multiple_testing_tests"
)


def family_events() -> dict[str, list[str]]:
    events = defaultdict(list)
    with open(FAMILIES_SEED, newline="") as fh:
        for row in csv.DictReader(fh):
            events[row["event_family"]].append(row["event_id"])
    return events


def announced(home) -> dict[str, tuple]:
    return {e: (at, e) for e, at in q(home, "select event_id, announced_at from marts.dim_events")}


def rows(home, where="", params=()):
    found = q(home, f"select {COLUMNS} from marts.fct_event_family_reactions {where}", params)
    names = [c.strip() for c in COLUMNS.split(",")]
    return [dict(zip(names, r)) for r in found]


def pooled(results: dict[str, tuple], family: list[str], order: dict[str, tuple]) -> dict:
    """results: event -> (car, car_se, df, t0). Counted: the first announced event on each t0 with a result."""
    counted, seen = [], set()
    for event in sorted((e for e in family if e in results), key=order.get):
        t0 = results[event][3]
        if t0 not in seen:
            seen.add(t0)
            counted.append(event)
    cars = np.array([results[e][0] for e in counted])
    ses = np.array([results[e][1] for e in counted])
    n, df = len(counted), min(results[e][2] for e in counted)
    caar = cars.mean()
    se_from = np.sqrt((ses**2).sum()) / n
    se_across = cars.std(ddof=1) / np.sqrt(n)
    positive = int((cars > 0).sum())
    return {
        "events": n,
        "events_included": ", ".join(sorted(counted)),
        "caar": caar,
        "caar_se_from_events": se_from,
        "t_from_events": caar / se_from,
        "df_from_events": df,
        "p_value_from_events": 2 * stats.t.sf(abs(caar / se_from), df),
        "ci_low_from_events": caar - stats.t.ppf(0.975, df) * se_from,
        "caar_se_across_events": se_across,
        "t_across_events": caar / se_across,
        "df_across_events": n - 1,
        "p_value_across_events": 2 * stats.t.sf(abs(caar / se_across), n - 1),
        "ci_high_across_events": caar + stats.t.ppf(0.975, n - 1) * se_across,
        "positive_events": positive,
        "sign_test_p_value": stats.binomtest(positive, n, 0.5).pvalue,
    }


def assert_matches(mart_row: dict, expected: dict) -> None:
    for key, value in expected.items():
        if isinstance(value, (int, str)):
            assert mart_row[key] == value, key
        else:
            assert mart_row[key] == pytest.approx(value, rel=1e-8, abs=1e-10), key


@pytest.mark.real_data
def test_us_tightening_on_the_us_chip_portfolio_equals_an_independent_pooling(live_warehouse):
    """The group portfolio's CARs from fct_event_group_reactions, the group's t0 from its members' rows."""
    home = live_warehouse[0]
    t0 = dict(
        q(
            home,
            "select distinct r.event_id, r.event_date from marts.fct_event_returns_v2 r "
            "join marts.dim_listing_groups g on g.symbol = r.symbol where g.group_id = 'us_chip_equities'",
        )
    )
    results = {
        e: (car, se, df, t0[e])
        for e, car, se, df in q(
            home,
            "select event_id, portfolio_car, portfolio_car_se, df from marts.fct_event_group_reactions "
            "where group_id = 'us_chip_equities' and model = 'market_model' and window_start = 0 and window_end = 1",
        )
    }
    family = family_events()["us_tightening"]
    expected = pooled(results, family, announced(home))
    (row,) = rows(
        home,
        "where confounded_events = 'included' and event_family = 'us_tightening' and subject = 'us_chip_equities' and model = "
        "'market_model' and window_start = 0 and window_end = 1",
    )
    assert row["family_events"] == len(family) == 16
    assert_matches(row, expected)
    # the AMD 8-K of 2025-04-16 moved New York on the same session as Nvidia's H20 8-K: one market move
    assert (
        "20250416_amd_mi308_license_charge: same t0 (2025-04-16) as 20250415_nvda_h20_license_charge"
        in row["events_excluded"]
    )


@pytest.mark.real_data
def test_chinese_action_against_us_firms_on_cambricon_equals_an_independent_pooling(live_warehouse):
    home = live_warehouse[0]
    results = {
        e: (car, se, df, t0)
        for e, car, se, df, t0 in q(
            home,
            "select event_id, car, car_se, residual_df, event_date from marts.fct_event_returns_v2 "
            "where symbol = '688256.SS' and model = 'constant_mean' and window_start = -1 and window_end = 1",
        )
    }
    family = family_events()["china_action_against_us_firm"]
    expected = pooled(results, family, announced(home))
    (row,) = rows(
        home,
        "where confounded_events = 'included' and event_family = 'china_action_against_us_firm' and subject_type = 'listing' and "
        "subject = '688256.SS' and model = 'constant_mean' and window_start = -1 and window_end = 1",
    )
    # the family's seven events (seed event_families), none sharing a t0 on Shanghai's calendar
    assert expected["events"] == len(family) == 7
    assert row["events_excluded"] is None
    assert_matches(row, expected)


def test_every_family_event_is_counted_or_excluded_with_a_reason(sample_warehouse):
    home = sample_warehouse[0]
    families = family_events()
    found = rows(home)
    # each subject with every model that gives it a result with a standard error for some event (the four-factor
    # model: US listings only), from the marts the family mart pools
    subject_models = q(
        home,
        """
        select count(*) from (
            select distinct 'listing' as t, symbol, model from marts.fct_event_returns_v2 where car_se is not null
            union select distinct 'listing', symbol, model from marts.fct_event_factor_model_returns
                where result_status = 'computed'
            union select distinct 'group', group_id, model from marts.fct_event_group_reactions
                where portfolio_car_se is not null)""",
    )[0][0]
    with open(ROOT / "dbt_project" / "seeds" / "curated" / "event_windows.csv") as fh:
        windows = sum(1 for _ in csv.DictReader(fh))
    # every family x subject x its models x window, with the confounded events counted and left out
    assert len(found) == len(families) * subject_models * windows * 2
    for row in found:
        included = row["events_included"].split(", ") if row["events_included"] else []
        excluded = (
            [part.split(": ", 1) for part in row["events_excluded"].split("; ")] if row["events_excluded"] else []
        )
        assert all(reason for _, reason in excluded)
        assert sorted(included + [e for e, _ in excluded]) == sorted(families[row["event_family"]])
        assert row["events"] == len(included) and row["family_events"] == len(families[row["event_family"]])
        if row["events"] >= 2:
            assert row["df_across_events"] == row["events"] - 1 and row["p_value_across_events"] is not None
        else:
            assert row["p_value_across_events"] is None and row["q_value"] is None


def test_sign_tests_are_scipy_s_exact_binomial_tests(sample_warehouse):
    checked = 0
    for positive, events, p in q(
        sample_warehouse[0],
        "select distinct positive_events, events, sign_test_p_value "
        "from marts.fct_event_family_reactions where events > 0",
    ):
        assert p == pytest.approx(stats.binomtest(positive, events, 0.5).pvalue, abs=1e-10), (positive, events)
        checked += 1
    assert checked >= 10


def test_rank_tests_are_scipy_s_wilcoxon_signed_rank_tests_of_the_counted_cars(sample_warehouse):
    """Rebuild each row's counted CARs from the listing and group marts and run scipy.stats.wilcoxon on them (exact up
    to 15 events; beyond, the normal approximation without continuity correction)."""
    home = sample_warehouse[0]
    cars = {}
    for subject_type, sql in (
        ("listing", "select symbol, model, window_start, window_end, event_id, car from marts.fct_event_returns_v2"),
        (
            "listing",
            "select symbol, model, window_start, window_end, event_id, car "
            "from marts.fct_event_factor_model_returns where result_status = 'computed'",
        ),
        (
            "group",
            "select group_id, model, window_start, window_end, event_id, portfolio_car "
            "from marts.fct_event_group_reactions",
        ),
    ):
        for subject, model, start, end, event_id, car in q(home, sql):
            cars[(subject_type, subject, model, start, end, event_id)] = car
    checked = {"exact": 0, "normal approximation": 0}
    for subject_type, subject, model, start, end, included, w_plus, p, test in q(
        home,
        "select subject_type, subject, model, window_start, window_end, events_included, "
        "signed_rank_statistic, rank_test_p_value, rank_test from marts.fct_event_family_reactions "
        "where events >= 2 and window_start = 0 and window_end = 1",
    ):
        counted = [cars[(subject_type, subject, model, start, end, e)] for e in included.split(", ")]
        method = "exact" if len(counted) <= 15 else "approx"
        expected = stats.wilcoxon(counted, method=method, correction=False)
        assert test.endswith("exact" if method == "exact" else "normal approximation")
        ranks = stats.rankdata(np.abs(counted))
        assert w_plus == ranks[np.array(counted) > 0].sum()
        assert p == pytest.approx(expected.pvalue, abs=1e-9), (subject, model, included)
        checked[test.rsplit(", ", 1)[1]] += 1
    # no family of either data set counts more than 15 events: the normal branch is tested in tests/test_statistics.py
    assert checked["exact"] > 100 and checked["normal approximation"] == 0


@pytest.mark.parametrize(
    "mart, p_column, keys, families",
    [
        # groups and listings apart, three models x five windows, and the four-factor model's five for listings
        # (for the family mart, with the confounded events counted and left out)
        (
            "fct_event_family_reactions",
            "p_value_across_events",
            "event_family, subject_type, subject",
            2 * (2 * 15 + 5),
        ),
        ("fct_event_group_reactions", "p_value", "event_id, group_id", 15),
        ("fct_event_returns_v2", "p_value", "event_id, symbol", 15),
    ],
)
def test_q_values_are_statsmodels_benjamini_hochberg_within_each_stated_family(
    sample_warehouse, mart, p_column, keys, families
):
    home = sample_warehouse[0]
    by_family = defaultdict(list)
    for family, m, p, q_value, bonferroni in q(
        home,
        f"select multiple_testing_family, multiple_testing_tests, "
        f"{p_column}, q_value, p_bonferroni from marts.{mart} "
        f"order by {keys}",
    ):
        by_family[family].append((m, p, q_value, bonferroni))
    assert len(by_family) == families
    for family, tests in by_family.items():
        with_p = [t for t in tests if t[1] is not None]
        assert {t[0] for t in tests} == {len(with_p)}, family
        assert all(t[2] is None and t[3] is None for t in tests if t[1] is None)
        _, q_expected, _, _ = multipletests([t[1] for t in with_p], method="fdr_bh")
        _, bonferroni_expected, _, _ = multipletests([t[1] for t in with_p], method="bonferroni")
        # p is published rounded to 1e-10 and the adjustments multiply it by up to m (~50): they differ from
        # statsmodels' (given the rounded p) by up to m * 5e-11
        assert [t[2] for t in with_p] == pytest.approx(list(q_expected), abs=1e-8), family
        assert [t[3] for t in with_p] == pytest.approx(list(bonferroni_expected), abs=1e-8), family


def test_the_sample_s_planted_family_effect_is_found_pooled_and_missed_event_by_event(sample_warehouse):
    """scripts/make_sample.py plants +1.5% on t0 of every US-easing event on each US chip equity: about 1.5 residual
    standard deviations of the US chip portfolio, so most events alone are not significant at 5%; pooled, the
    family's mean CAR on day 0 is, and its interval covers the planted effect."""
    home = sample_warehouse[0]
    planted = sample_generator().PLANTED_FAMILIES["us_easing"]["US"]
    (row,) = rows(
        home,
        "where confounded_events = 'included' and event_family = 'us_easing' and subject = 'us_chip_equities' and model = "
        "'market_model' and window_start = 0 and window_end = 0",
    )
    # nine US-easing events in the seed; two (2025-11-10, 2025-12-08) come after the sample's last session (2025-10-31)
    assert row["events"] == 7
    assert row["p_value_from_events"] < 0.05 and row["p_value_across_events"] < 0.05
    assert row["ci_low_from_events"] < planted < row["ci_high_from_events"] and row["ci_low_from_events"] > 0
    per_event = [
        p
        for (p,) in q(
            home,
            "select r.p_value from marts.fct_event_group_reactions r join marts.dim_events e "
            "using (event_id) where e.event_family = 'us_easing' and r.group_id = "
            "'us_chip_equities' and r.model = 'market_model' and r.window_start = 0 "
            "and r.window_end = 0 and r.p_value is not null",
        )
    ]
    assert len(per_event) == 7 and sum(p < 0.05 for p in per_event) <= len(per_event) // 2
