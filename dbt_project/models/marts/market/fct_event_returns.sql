-- Cumulative abnormal returns per (event, listing, window). Only complete windows are reported: every day of
-- the window must have a return and a benchmark return. t = CAR / (residual_sd * sqrt(L)).
with windows as (
    select window_start, window_end, window_end - window_start + 1 as window_days
    from {{ ref('event_windows') }}
),

per_window as (
    select
        ar.event_id,
        ar.symbol,
        windows.window_start,
        windows.window_end,
        max(windows.window_days) as window_days,
        count(ar.abnormal_return) as days_with_returns,
        sum(ar.abnormal_return) as car,
        {{ compound_return('ar.daily_return') }} as raw_return,
        {{ compound_return('ar.benchmark_return') }} as benchmark_return
    from {{ ref('int_abnormal_returns_computed') }} as ar
    inner join windows
        on ar.relative_day between windows.window_start and windows.window_end
    group by ar.event_id, ar.symbol, windows.window_start, windows.window_end
)

select
    cast(per_window.event_id as {{ dbt.type_string() }}) as event_id,
    cast(per_window.symbol as {{ dbt.type_string() }}) as symbol,
    models.event_date,
    cast(per_window.window_start as integer) as window_start,
    cast(per_window.window_end as integer) as window_end,
    round(per_window.raw_return, 12) as raw_return,
    round(per_window.benchmark_return, 12) as benchmark_return,
    round(per_window.car, 12) as abnormal_return,
    round(per_window.car / (models.residual_sd * sqrt(per_window.window_days)), 12) as t_stat,
    models.alpha,
    models.beta,
    models.residual_sd,
    cast(models.estimation_days as integer) as estimation_days,
    cast(models.benchmark_symbol as {{ dbt.type_string() }}) as benchmark_symbol
from per_window
inner join {{ ref('int_market_models_fitted') }} as models
    on models.event_id = per_window.event_id and models.symbol = per_window.symbol
where per_window.days_with_returns = per_window.window_days
