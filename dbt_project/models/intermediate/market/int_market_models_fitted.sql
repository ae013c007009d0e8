-- Market model per (event, listing): OLS of the listing's daily return on its benchmark's over the estimation
-- window [estimation_window_start, estimation_window_end] trading days relative to t0, days where both returns
-- exist. Fewer than min_estimation_days observations: no model, and model_status says why.
with estimation as (
    select event_id, symbol, daily_return as r, benchmark_return as rm
    from {{ ref('int_event_day_returns_joined') }}
    where relative_day between {{ var('estimation_window_start') }} and {{ var('estimation_window_end') }}
        and daily_return is not null
        and benchmark_return is not null
),

fit as (
    select
        event_id,
        symbol,
        regr_count(r, rm) as estimation_days,
        regr_intercept(r, rm) as alpha,
        regr_slope(r, rm) as beta
    from estimation
    group by event_id, symbol
),

residuals as (
    select
        fit.event_id,
        fit.symbol,
        sqrt(sum((estimation.r - fit.alpha - fit.beta * estimation.rm) * (estimation.r - fit.alpha - fit.beta * estimation.rm))
            / (max(fit.estimation_days) - 2)) as residual_sd
    from fit
    inner join estimation
        on estimation.event_id = fit.event_id and estimation.symbol = fit.symbol
    where fit.estimation_days > 2
    group by fit.event_id, fit.symbol
),

benchmark_coverage as (
    select symbol, count(*) as bars from {{ ref('int_daily_returns_indexed') }} group by symbol
)

select
    anchored.event_id,
    anchored.symbol,
    anchored.benchmark_symbol,
    anchored.t0_session_date,
    anchored.event_date,
    coalesce(fit.estimation_days, 0) as estimation_days,
    case when fit.estimation_days >= {{ var('min_estimation_days') }} then round(fit.alpha, 12) end as alpha,
    case when fit.estimation_days >= {{ var('min_estimation_days') }} then round(fit.beta, 12) end as beta,
    case when fit.estimation_days >= {{ var('min_estimation_days') }} then round(residuals.residual_sd, 12) end as residual_sd,
    case
        when anchored.t0_session_date is null then 'no_session_after_announcement'
        when anchored.t0_index is null then 'no_price_on_event_day'
        when coalesce(benchmark_coverage.bars, 0) = 0 then 'no_benchmark_data'
        when coalesce(fit.estimation_days, 0) < {{ var('min_estimation_days') }} then 'too_few_estimation_days'
        else 'fitted'
    end as model_status
from {{ ref('int_event_listings_anchored') }} as anchored
left join fit
    on fit.event_id = anchored.event_id and fit.symbol = anchored.symbol
left join residuals
    on residuals.event_id = anchored.event_id and residuals.symbol = anchored.symbol
left join benchmark_coverage
    on benchmark_coverage.symbol = anchored.benchmark_symbol
