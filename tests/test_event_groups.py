"""Group inference, paths and robustness of the event study (issue 14).

Two kinds of check. On the bundled sample, whose synthetic prices carry known planted effects and correlated noise
(scripts/make_sample.py), the warehouse must recover what was planted. On the replay server's real prices, every
figure of one group row and its members is recomputed here independently, with statsmodels OLS, numpy matrix algebra
for the prediction error, pandas correlations and scipy's t distribution, and must agree.
"""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from .conftest import q, recorded_returns, sample_generator

make_sample = sample_generator()

GROUP_OF_REGION = {"US": "us_chip_equities", "China A-share": "cn_a_chip_equities"}


# --- the sample: planted effects and correlated noise are recovered ---------------------------------------------


@pytest.mark.parametrize("event_id", sorted(make_sample.PLANTED))
def test_the_planted_t0_effect_is_inside_the_group_portfolio_interval(sample_warehouse, event_id):
    """Each planted effect lies in its 95% interval (each check alone fails 5% of the time by construction; the
    sample's seed is fixed, so the outcome is deterministic) and the portfolio's sign test agrees in sign."""
    home = sample_warehouse[0]
    for region, effect in make_sample.PLANTED[event_id].items():
        rows = q(
            home,
            "select portfolio_car, ci_low, ci_high, p_value, members from marts.fct_event_group_reactions "
            "where event_id = ? and group_id = ? and model = 'market_model' and window_start = 0 "
            "and window_end = 0",
            (event_id, GROUP_OF_REGION[region]),
        )
        assert len(rows) == 1, (event_id, region)
        car, low, high, p, members = rows[0]
        assert members == sum(
            1
            for r in make_sample.csv.DictReader(make_sample.LISTINGS.open())
            if r["market_region"] == region and make_sample.is_chip_equity(r)
        )
        assert low < effect < high, (event_id, region, effect, low, high)
        assert np.sign(car) == np.sign(effect) and p < 0.1


def test_correlated_noise_is_measured_and_inflates_the_independence_t(sample_warehouse):
    """The sector factor makes members' residuals correlate by F^2 / (F^2 + I^2); a t that assumes independent
    listings is then larger than the portfolio's by about sqrt(1 + (N - 1) rho)."""
    home = sample_warehouse[0]
    for region, group in GROUP_OF_REGION.items():
        planted_rho = make_sample.FACTOR_SD[region] ** 2 / (
            make_sample.FACTOR_SD[region] ** 2 + make_sample.IDIO_SD[region] ** 2
        )
        rho, ratio, n = q(
            home,
            "select avg(mean_pairwise_correlation), "
            "median(abs(independence_t) / abs(portfolio_t)), max(members) "
            "from marts.fct_event_group_reactions "
            "where group_id = ? and model = 'market_model'",
            (group,),
        )[0]
        assert rho == pytest.approx(planted_rho, abs=0.05), group
        assert ratio > 1.2, group
        assert ratio == pytest.approx(np.sqrt(1 + (n - 1) * planted_rho), rel=0.25), group


def test_groups_below_ten_members_get_no_cross_sectional_test_and_say_why(sample_warehouse):
    home = sample_warehouse[0]
    rows = q(
        home,
        "select members, bmp_t, kp_t, sign_test_z, cross_sectional_null_reason, sign_test_null_reason "
        "from marts.fct_event_group_reactions",
    )
    small = [r for r in rows if r[0] < 10]
    large = [r for r in rows if r[0] >= 10]
    assert small and large
    assert all(
        r[1] is None and r[2] is None and r[3] is None and "fewer than 10" in r[4] and "fewer than 10" in r[5]
        for r in small
    )
    assert all(r[1] is not None and r[2] is not None and r[4] is None for r in large)


def test_car_paths_cumulate_the_daily_abnormal_returns_and_widen(sample_warehouse):
    home = sample_warehouse[0]
    path = q(
        home,
        "select relative_day, abnormal_return, car, car_se, ci_low, ci_high from marts.fct_event_car_paths "
        "where entity_type = 'group' and entity_id = 'us_chip_equities' and model = 'market_model' "
        "and event_id = '20250126_deepseek_app_store_no1' order by relative_day",
    )
    assert [r[0] for r in path] == list(range(-10, 11))
    assert np.allclose(np.cumsum([r[1] for r in path]), [r[2] for r in path], atol=1e-9)
    assert all(b[3] > a[3] for a, b in zip(path, path[1:]))  # the band widens with every day
    assert all(r[4] < r[2] < r[5] for r in path)
    # day 0 of the path holds the planted fall; the [0,0] CAR of the group mart is that day's abnormal return
    day0 = q(
        home,
        "select portfolio_car from marts.fct_event_group_reactions where group_id = 'us_chip_equities' "
        "and event_id = '20250126_deepseek_app_store_no1' and model = 'market_model' "
        "and window_start = 0 and window_end = 0",
    )[0][0]
    assert path[10][1] == pytest.approx(day0, abs=1e-12)


def test_the_three_models_and_the_old_version_are_side_by_side(sample_warehouse):
    home = sample_warehouse[0]
    per_model = dict(q(home, "select model, count(*) from marts.fct_event_returns_v2 group by model"))
    assert set(per_model) == {"market_model", "market_adjusted", "constant_mean"}
    assert len(set(per_model.values())) == 1
    # version 1 keeps its old name and columns: the market model's CAR as abnormal_return, t without estimation error
    old = q(
        home,
        "select count(*), max(abs(v1.abnormal_return - v2.car)), max(abs(v1.t_stat - "
        "v2.t_stat_ignoring_estimation_error)) from marts.fct_event_returns v1 "
        "join marts.fct_event_returns_v2 v2 "
        "using (event_id, symbol, window_start, window_end) where v2.model = 'market_model'",
    )[0]
    assert old[0] == per_model["market_model"] and old[1] == 0 and old[2] == 0


def test_contamination_shows_what_dropping_other_events_moves(sample_warehouse):
    home = sample_warehouse[0]
    n, moved, fewer = q(
        home,
        "select count(*), count(case when car_change <> 0 then 1 end), "
        "bool_and(estimation_days_excluding_other_events <= estimation_days_all_days) "
        "from marts.fct_event_estimation_contamination "
        "where other_events_in_estimation_window > 0 "
        "and model = 'market_model'",
    )[0]
    assert n > 0 and moved > 0 and fewer
    # the reported fit is the all-days one by default
    same = q(
        home,
        "select max(abs(c.car_all_days - r.car)) from marts.fct_event_estimation_contamination c "
        "join marts.fct_event_returns_v2 r using (event_id, symbol, model, window_start, window_end)",
    )[0][0]
    assert same < 1e-9


# --- the replay data: an independent computation ---------------------------------------------------------------


def fit_window(r: pd.Series, rm: pd.Series, t0: pd.Timestamp):
    """statsmodels OLS of r on rm over bars [-250, -30] of r's own bars; returns the fit and the window frame."""
    i0 = list(r.index).index(t0)
    est = pd.DataFrame({"r": r.iloc[i0 - 250 : i0 - 30 + 1]})
    est["rm"] = rm.reindex(est.index)
    est = est.dropna()
    return sm.OLS(est["r"], sm.add_constant(est["rm"])).fit(), est, i0


def car_with_prediction_error(fit, r, rm, i0, start, end):
    """CAR and its variance sigma^2 (L + g' X* (X'X)^-1 X*' g) from the fit's own (X'X)^-1 (matrix form)."""
    span = pd.DataFrame({"r": r.iloc[i0 + start : i0 + end + 1]})
    span["rm"] = rm.reindex(span.index)
    design = np.column_stack([np.ones(len(span)), span["rm"].to_numpy()])
    ar = span["r"].to_numpy() - design @ fit.params.to_numpy()
    ones = np.ones(len(span))
    var = fit.mse_resid * (len(span) + ones @ design @ fit.normalized_cov_params.to_numpy() @ design.T @ ones)
    return float(ar.sum()), float(np.sqrt(var))


@pytest.mark.real_data
@pytest.mark.parametrize("start, end", [(0, 0), (-1, 1), (-5, 5)])
def test_the_us_group_on_deepseek_matches_an_independent_computation(live_warehouse, start, end):
    home = live_warehouse[0]
    event, t0 = "20250126_deepseek_app_store_no1", pd.Timestamp("2025-01-27")
    members = [s for (s,) in q(home, "select symbol from marts.dim_listing_groups where group_id = 'us_chip_equities'")]
    assert len(members) == 10
    rm = recorded_returns("^GSPC")
    returns = {s: recorded_returns(s) for s in members}

    cars, ses, residuals, positive_shares = {}, {}, {}, []
    for symbol, r in returns.items():
        fit, est, i0 = fit_window(r, rm, t0)
        cars[symbol], ses[symbol] = car_with_prediction_error(fit, r, rm, i0, start, end)
        residuals[symbol] = fit.resid
        positive_shares.append(float((fit.resid > 0).mean()))
        df = int(fit.df_resid)
        t = cars[symbol] / ses[symbol]
        got = q(
            home,
            "select car, car_se, t_stat, p_value, ci_low, ci_high, residual_df "
            "from marts.fct_event_returns_v2 "
            "where event_id = ? and symbol = ? and model = 'market_model' and window_start = ? "
            "and window_end = ?",
            (event, symbol, start, end),
        )[0]
        half = stats.t.ppf(0.975, df) * ses[symbol]
        assert got[:3] == pytest.approx((cars[symbol], ses[symbol], t), abs=1e-9), symbol
        assert got[3] == pytest.approx(2 * stats.t.sf(abs(t), df), abs=2e-8), symbol
        assert got[4:6] == pytest.approx((cars[symbol] - half, cars[symbol] + half), abs=1e-9), symbol
        assert got[6] == df

    # the equal-weight portfolio, averaged date by date, with its own market model
    portfolio = pd.DataFrame(returns).mean(axis=1, skipna=True)
    fit, est, i0 = fit_window(portfolio, rm, t0)
    p_car, p_se = car_with_prediction_error(fit, portfolio, rm, i0, start, end)
    p_t = p_car / p_se
    df = int(fit.df_resid)
    # mean pairwise correlation of the members' residuals on their common days
    corr = pd.DataFrame(residuals).dropna().corr().to_numpy()
    n = len(members)
    rho = (corr.sum() - n) / (n * (n - 1))
    scar = np.array([cars[s] / ses[s] for s in members])
    bmp = scar.mean() * np.sqrt(n) / scar.std(ddof=1)
    kp = bmp * np.sqrt((1 - rho) / (1 + (n - 1) * rho))
    p_hat = float(np.mean(positive_shares))
    positive = sum(1 for s in members if cars[s] > 0)
    sign_z = (positive - n * p_hat) / np.sqrt(n * p_hat * (1 - p_hat))
    independence_t = np.mean(list(cars.values())) / (np.sqrt(sum(se**2 for se in ses.values())) / n)

    row = q(
        home,
        "select members, mean_car, portfolio_car, portfolio_car_se, portfolio_t, df, p_value, ci_low, "
        "ci_high, mean_pairwise_correlation, bmp_t, bmp_p_value, kp_t, kp_p_value, positive_members, "
        "expected_positive_share, sign_test_z, sign_test_p_value, independence_t "
        "from marts.fct_event_group_reactions where event_id = ? and group_id = 'us_chip_equities' "
        "and model = 'market_model' and window_start = ? and window_end = ?",
        (event, start, end),
    )[0]
    half = stats.t.ppf(0.975, df) * p_se
    assert row[0] == n and row[5] == df
    assert row[1] == pytest.approx(np.mean(list(cars.values())), abs=1e-9)
    assert row[2:5] == pytest.approx((p_car, p_se, p_t), abs=1e-9)
    assert row[6] == pytest.approx(2 * stats.t.sf(abs(p_t), df), abs=2e-8)
    assert row[7:9] == pytest.approx((p_car - half, p_car + half), abs=1e-9)
    assert row[9] == pytest.approx(rho, abs=1e-9)
    assert row[10] == pytest.approx(bmp, abs=1e-9)
    assert row[11] == pytest.approx(2 * stats.t.sf(abs(bmp), n - 1), abs=2e-8)
    assert row[12] == pytest.approx(kp, abs=1e-9)
    assert row[13] == pytest.approx(2 * stats.t.sf(abs(kp), n - 1), abs=2e-8)
    assert row[14] == positive and row[15] == pytest.approx(p_hat, abs=1e-12)
    assert row[16] == pytest.approx(sign_z, abs=1e-9)
    assert row[17] == pytest.approx(2 * stats.norm.sf(abs(sign_z)), abs=2e-8)
    assert row[18] == pytest.approx(independence_t, abs=1e-9)


def test_shares_t0_with_names_each_other_event_once(sample_warehouse):
    """Issue 32: the column repeated the other event once per member ("20220901_..., 20220901_..., ..." ten times for
    a ten-member group). Each row's list holds distinct events, each a known event other than the row's own."""
    home = sample_warehouse[0]
    rows = q(
        home,
        "select distinct event_id, group_id, shares_t0_with from marts.fct_event_group_reactions "
        "where shares_t0_with is not null",
    )
    events = {e for (e,) in q(home, "select event_id from marts.dim_events")}
    assert rows, "the sample has groups whose members share a t0 with another event"
    repeated = [(e, g, s) for e, g, s in rows if len(s.split(", ")) != len(set(s.split(", ")))]
    assert repeated == []
    assert all(set(s.split(", ")) <= events - {e} for e, _, s in rows)
