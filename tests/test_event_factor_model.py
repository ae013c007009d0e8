"""The Carhart four-factor model (int_event_factor_models_fitted, marts.fct_event_factor_model_returns): fits, CARs and
their prediction-error standard errors recomputed with statsmodels OLS from the recorded prices and Kenneth French's
recorded factor files (read here with pandas, not with the project's parser); the reasons a row has no CAR."""

import io
import re
import zipfile

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from .conftest import REPLAY_FRENCH, q, recorded_returns

ESTIMATION = (-250, -30)  # dbt_project.yml: estimation_window_start / _end


def recorded_factors() -> pd.DataFrame:
    """Mkt-RF, SMB, HML, RF and Mom by date, as fractions, straight from the recorded zips."""

    def table(name: str, columns: list[str]) -> pd.DataFrame:
        with zipfile.ZipFile(REPLAY_FRENCH / f"{name}_CSV.zip") as z:
            text = z.read(f"{name}.csv").decode("latin-1")
        rows = [line for line in text.splitlines() if re.match(r"^\d{8},", line)]
        frame = pd.read_csv(io.StringIO("\n".join(rows)), header=None, names=["date", *columns])
        frame["date"] = pd.to_datetime(frame["date"].astype(str), format="%Y%m%d")
        return frame.set_index("date") / 100

    return table("F-F_Research_Data_Factors_daily", ["mkt", "smb", "hml", "rf"]).join(
        table("F-F_Momentum_Factor_daily", ["mom"]), how="inner"
    )


def independent_fit(symbol: str, t0: str):
    """statsmodels OLS of r - rf on the four factors over sessions -250..-30 of the listing's own bars."""
    r = recorded_returns(symbol)
    factors = recorded_factors()
    days = list(r.index)
    i0 = days.index(pd.Timestamp(t0))
    window = pd.DataFrame({"r": r.iloc[i0 + ESTIMATION[0] : i0 + ESTIMATION[1] + 1]}).join(factors).dropna()
    fit = sm.OLS(window["r"] - window["rf"], sm.add_constant(window[["mkt", "smb", "hml", "mom"]])).fit()
    return fit, r, factors, i0


CASES = [  # (event, symbol, t0): Nvidia's H20 8-K, the October 2022 rule on AMD and Lam, the AI Diffusion rule on Micron
    ("20250415_nvda_h20_license_charge", "NVDA", "2025-04-16"),
    ("20221007_bis_advanced_computing_ifr", "AMD", "2022-10-07"),
    ("20221007_bis_advanced_computing_ifr", "LRCX", "2022-10-07"),
    ("20250113_bis_ai_diffusion_framework", "MU", "2025-01-13"),
]


@pytest.mark.real_data
@pytest.mark.parametrize("event_id, symbol, t0", CASES)
def test_four_factor_cars_are_statsmodels_ols_with_the_prediction_error(live_warehouse, event_id, symbol, t0):
    fit, r, factors, i0 = independent_fit(symbol, t0)
    rows = q(
        live_warehouse[0],
        "select window_start, window_end, car, car_se, t_stat, residual_df, p_value, ci_low, "
        "ci_high, alpha, beta_market, beta_smb, beta_hml, beta_momentum, residual_sd, "
        "estimation_days, result_status from marts.fct_event_factor_model_returns "
        "where event_id = ? and symbol = ? order by window_start, window_end",
        (event_id, symbol),
    )
    assert len(rows) == 5
    s2 = fit.ssr / fit.df_resid
    for start, end, car, se, t, df, p, lo, hi, alpha, *rest in rows:
        betas, sd, n, status = rest[:4], rest[4], rest[5], rest[6]
        assert status == "computed"
        assert (n, df) == (int(fit.nobs), int(fit.df_resid))
        assert [alpha, *betas] == pytest.approx(list(fit.params.values), abs=1e-9)
        assert sd == pytest.approx(np.sqrt(s2), abs=1e-11)
        days = pd.DataFrame({"r": r.iloc[i0 + start : i0 + end + 1]}).join(factors)
        x = sm.add_constant(days[["mkt", "smb", "hml", "mom"]], has_constant="add")
        expected_car = float(((days["r"] - days["rf"]) - x @ fit.params.values).sum())
        g = x.sum().values  # the window's summed regressors: var(CAR) = s^2 (L + g' (X'X)^-1 g)
        expected_se = float(np.sqrt(s2 * (len(days) + g @ fit.normalized_cov_params.values @ g)))
        assert car == pytest.approx(expected_car, abs=1e-10)
        assert se == pytest.approx(expected_se, abs=1e-10)
        assert t == pytest.approx(expected_car / expected_se, abs=1e-8)
        assert p == pytest.approx(2 * stats.t.sf(abs(expected_car / expected_se), fit.df_resid), abs=1e-6)
        half = stats.t.ppf(0.975, fit.df_resid) * expected_se
        assert (lo, hi) == pytest.approx((expected_car - half, expected_car + half), abs=1e-4 * expected_se)


@pytest.mark.real_data
def test_nvidia_on_the_h20_news_under_four_factors_sits_with_the_market_model(live_warehouse):
    """Day 0 of 2025-04-16: the market model says -0.4%, market-adjusted -4.6%, constant mean -7.1%; with Mkt-RF,
    SMB, HML and Mom the abnormal return is -0.8% (statsmodels, above): the spread across the four models, 6.6 points,
    is what the sensitivity mart reports."""
    fit, r, factors, i0 = independent_fit("NVDA", "2025-04-16")
    day = factors.loc[pd.Timestamp("2025-04-16")]
    expected = r.iloc[i0] - day["rf"] - fit.params @ np.array([1, day["mkt"], day["smb"], day["hml"], day["mom"]])
    (row,) = q(
        live_warehouse[0],
        "select car_carhart_four_factor, p_value_carhart_four_factor, models, car_min, "
        "car_max from marts.fct_event_model_sensitivity where subject_type = 'listing' "
        "and subject = 'NVDA' and event_id = '20250415_nvda_h20_license_charge' "
        "and window_start = 0 and window_end = 0",
    )
    assert row[0] == pytest.approx(expected, abs=1e-10)
    assert round(100 * row[0], 1) == -0.8
    assert row[2] == 4 and row[3] <= row[0] <= row[4]


def test_only_us_listings_are_fitted_and_every_pair_says_why_not(sample_warehouse):
    home = sample_warehouse[0]
    regions = dict(q(home, "select symbol, market_region from marts.dim_listings"))
    pairs = q(
        home,
        "select event_id, symbol from marts.fct_event_returns_v2 where model = 'market_model' "
        "group by event_id, symbol",
    )
    statuses = {}
    for event_id, symbol, status in q(
        home, "select event_id, symbol, result_status from marts.fct_event_factor_model_returns"
    ):
        statuses.setdefault((event_id, symbol), set()).add(status)
    assert set(pairs) <= set(statuses)  # every pair the other models report has a row here
    for (event_id, symbol), found in statuses.items():
        if regions[symbol] != "US":
            assert found == {"not_a_us_listing"}, (event_id, symbol)
        else:
            assert "not_a_us_listing" not in found


def test_windows_after_the_factors_last_day_have_no_car_and_say_so(sample_warehouse):
    """The sample's factor files end 2025-09-30, a month before its prices (the library publishes monthly with a
    lag): a window reaching past that day has no CAR; every window before it has one."""
    home = sample_warehouse[0]
    assert q(
        home,
        "select distinct factors_last_date from marts.fct_event_factor_model_returns "
        "where result_status <> 'not_a_us_listing'",
    ) == [(pd.Timestamp("2025-09-30").date(),)]
    published = q(
        home,
        "select event_id, symbol, window_start, window_end, result_status, car "
        "from marts.fct_event_factor_model_returns where symbol = 'NVDA'",
    )
    by_event = {}
    for event_id, _, start, end, status, car in published:
        by_event.setdefault(event_id, []).append((start, end, status, car))
    # the rare-earth controls of 2025-10-09: every window after the factors' last day
    assert {s for _, _, s, _ in by_event["20251009_mofcom_rare_earth_controls"]} == {"factors_not_published_yet"}
    # the Affiliates Rule (t0 2025-09-29): [0, +1] ends on 09-30 and is covered, the windows reaching into October
    # are not
    affiliates = {(start, end): (status, car) for start, end, status, car in by_event["20250929_bis_affiliates_rule"]}
    for window in ((0, 0), (0, 1), (-1, 1)):
        assert affiliates[window][0] == "computed" and affiliates[window][1] is not None
    for window in ((0, 5), (-5, 5)):
        assert affiliates[window] == ("factors_not_published_yet", None)
    # every event before September 2025 has a CAR for each window
    for event_id, windows in by_event.items():
        if event_id < "20250901":
            assert {s for _, _, s, _ in windows} == {"computed"}, event_id
