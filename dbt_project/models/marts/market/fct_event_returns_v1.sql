-- Version 1 of fct_event_returns, kept at its old name (marts.fct_event_returns) until its deprecation date so that
-- queries written against it keep working: market model only, the CAR in a column named abnormal_return, and t
-- without the estimation error of alpha and beta. Version 2 (marts.fct_event_returns_v2) is the current one.
select
    event_id,
    symbol,
    event_date,
    window_start,
    window_end,
    raw_return,
    benchmark_return,
    car as abnormal_return,
    t_stat_ignoring_estimation_error as t_stat,
    alpha,
    beta,
    residual_sd,
    estimation_days,
    benchmark_symbol
from {{ ref('fct_event_returns', v=2) }}
where model = 'market_model'
