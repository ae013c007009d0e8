-- Does another event inside the estimation window move the result? Per (event, listing, model, window): how many
-- other events have t0 inside the estimation window and which inside the event window, and alpha, beta and CAR
-- fitted on every estimation day beside the same fitted without the days within one session of another event's t0
-- (var estimation_excludes_other_events picks which one fct_event_returns_v2 reports). CAR under either fit is
-- sum(r) - alpha L - beta sum(r_m) over the window's L days.
with per_window as (
    {{ event_window_sums(ref('int_abnormal_returns_computed'), ['event_id', 'symbol']) }}
),

other_events as (
    {{ other_events_by_window() }}
),

compared as (
    select
        per_window.*,
        all_days.other_events_in_estimation_window,
        all_days.estimation_days as estimation_days_all,
        clean.estimation_days as estimation_days_clean,
        all_days.alpha as alpha_all,
        clean.alpha as alpha_clean,
        all_days.beta as beta_all,
        clean.beta as beta_clean,
        per_window.return_sum - all_days.alpha * per_window.window_days
            - case when per_window.model = 'constant_mean' then cast(0 as double)
                else all_days.beta * per_window.benchmark_return_sum end as car_all,
        per_window.return_sum - clean.alpha * per_window.window_days
            - case when per_window.model = 'constant_mean' then cast(0 as double)
                else clean.beta * per_window.benchmark_return_sum end as car_clean
    from per_window
    inner join {{ ref('int_event_models_fitted') }} as all_days
        on all_days.event_id = per_window.event_id
        and all_days.symbol = per_window.symbol
        and all_days.model = per_window.model
        and all_days.estimation_sample = 'all_days'
    inner join {{ ref('int_event_models_fitted') }} as clean
        on clean.event_id = per_window.event_id
        and clean.symbol = per_window.symbol
        and clean.model = per_window.model
        and clean.estimation_sample = 'excluding_other_events'
    -- both fits estimated (not market-adjusted returns of a listing without an estimation window)
    where per_window.days_with_returns = per_window.window_days
        and all_days.model_status = 'fitted'
        and clean.model_status = 'fitted'
)

select
    cast(compared.event_id as {{ dbt.type_string() }}) as event_id,
    cast(compared.symbol as {{ dbt.type_string() }}) as symbol,
    cast(compared.model as {{ dbt.type_string() }}) as model,
    cast(compared.window_start as integer) as window_start,
    cast(compared.window_end as integer) as window_end,
    cast(compared.other_events_in_estimation_window as integer) as other_events_in_estimation_window,
    cast(other_events.other_events_in_window as {{ dbt.type_string() }}) as other_events_in_window,
    cast(compared.estimation_days_all as integer) as estimation_days_all_days,
    cast(compared.estimation_days_clean as integer) as estimation_days_excluding_other_events,
    compared.alpha_all as alpha_all_days,
    compared.alpha_clean as alpha_excluding_other_events,
    compared.beta_all as beta_all_days,
    compared.beta_clean as beta_excluding_other_events,
    round(compared.car_all, 12) as car_all_days,
    round(compared.car_clean, 12) as car_excluding_other_events,
    round(compared.car_clean - compared.car_all, 12) as car_change
from compared
left join other_events
    on other_events.event_id = compared.event_id
    and other_events.symbol = compared.symbol
    and other_events.window_start = compared.window_start
    and other_events.window_end = compared.window_end
