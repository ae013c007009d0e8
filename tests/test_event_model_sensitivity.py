"""marts.fct_event_model_sensitivity: the CAR under every expected-return model side by side, recomputed from the
recorded prices (market-adjusted and constant-mean by hand, the market model with statsmodels OLS) and from the
listing and group marts."""

import pandas as pd
import pytest
import statsmodels.api as sm

from .conftest import q, recorded_returns


@pytest.mark.real_data
def test_nvidia_on_the_h20_licence_news_swings_by_model_as_an_independent_computation_says(live_warehouse):
    """NVDA on 2025-04-16 (t0 of Nvidia's H20 8-K filed after the 04-15 close), day 0: the three models' abnormal
    returns from the recorded closes, with the estimation window of the study (sessions -250 to -30)."""
    r, rm = recorded_returns("NVDA"), recorded_returns("^GSPC")
    days = list(r.index)
    i0 = days.index(pd.Timestamp("2025-04-16"))
    window = pd.DataFrame({"r": r.iloc[i0 - 250 : i0 - 30 + 1]})
    window["rm"] = rm.reindex(window.index)
    window = window.dropna()
    fit = sm.OLS(window["r"], sm.add_constant(window["rm"])).fit()
    day_r, day_rm = r.iloc[i0], rm.loc[days[i0]]
    expected = {
        "market_model": day_r - fit.params["const"] - fit.params["rm"] * day_rm,
        "market_adjusted": day_r - day_rm,
        "constant_mean": day_r - r.iloc[i0 - 250 : i0 - 30 + 1].dropna().mean(),
    }
    (row,) = q(
        live_warehouse[0],
        "select car_market_model, car_market_adjusted, car_constant_mean, car_min, car_max, "
        "car_range, sign_depends_on_model, models from marts.fct_event_model_sensitivity "
        "where event_id = '20250415_nvda_h20_license_charge' and subject = 'NVDA' "
        "and window_start = 0 and window_end = 0",
    )
    assert row[:3] == pytest.approx(
        (expected["market_model"], expected["market_adjusted"], expected["constant_mean"]), abs=1e-9
    )
    assert row[3:6] == pytest.approx(
        (min(expected.values()), max(expected.values()), max(expected.values()) - min(expected.values())), abs=1e-9
    )
    # the four-factor model (tests/test_event_factor_model.py) gives -0.8%, inside that range: four models, one sign
    assert row[6] is False and row[7] == 4
    # about -0.4%, -4.6% and -7.1%: the model moves Nvidia's abnormal return by more than six points
    assert [round(100 * v, 1) for v in row[:3]] == [-0.4, -4.6, -7.1]


def test_each_row_holds_every_model_s_result_and_its_spread(sample_warehouse):
    home = sample_warehouse[0]
    results = {}
    for subject_type, sql in (
        (
            "listing",
            "select event_id, symbol, window_start, window_end, model, car, p_value from marts.fct_event_returns_v2",
        ),
        (
            "listing",
            "select event_id, symbol, window_start, window_end, model, car, p_value "
            "from marts.fct_event_factor_model_returns where result_status = 'computed'",
        ),
        (
            "group",
            "select event_id, group_id, window_start, window_end, model, portfolio_car, p_value "
            "from marts.fct_event_group_reactions",
        ),
    ):
        for event_id, subject, start, end, model, car, p in q(home, sql):
            results.setdefault((event_id, subject_type, subject, start, end), {})[model] = (car, p)
    rows = q(
        home,
        "select event_id, subject_type, subject, window_start, window_end, models, car_market_model, "
        "car_market_adjusted, car_constant_mean, car_carhart_four_factor, p_value_market_model, "
        "p_value_carhart_four_factor, car_range, sign_depends_on_model, models_significant_5pct, "
        "significance_depends_on_model from marts.fct_event_model_sensitivity",
    )
    assert len(rows) == len(results)
    assert any(r[9] is not None for r in rows) and any(r[9] is None for r in rows if r[1] == "listing")
    for key, models, mm, ma, cm, ff, p_mm, p_ff, spread, sign_flip, significant, significance_flip in (
        (r[:5], *r[5:]) for r in rows
    ):
        found = results[key]
        cars = [c for c, _ in found.values()]
        assert models == len(found)
        assert (mm, ma, cm, ff) == tuple(
            found.get(m, (None, None))[0]
            for m in ("market_model", "market_adjusted", "constant_mean", "carhart_four_factor")
        )
        assert (p_mm, p_ff) == (
            found.get("market_model", (None, None))[1],
            found.get("carhart_four_factor", (None, None))[1],
        )
        assert spread == pytest.approx(max(cars) - min(cars), abs=1e-12)
        assert sign_flip == (min(cars) < 0 < max(cars))
        n_significant = sum(p is not None and p < 0.05 for _, p in found.values())
        assert significant == n_significant
        assert significance_flip == (0 < n_significant < sum(p is not None for _, p in found.values()))
