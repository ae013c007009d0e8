-- Abnormal return AR = r - (alpha + beta * r_m) for each day of the event windows, fitted models only.
with span as (
    select min(window_start) as first_day, max(window_end) as last_day from {{ ref('event_windows') }}
)

select
    days.event_id,
    days.symbol,
    days.relative_day,
    days.trade_date,
    days.daily_return,
    days.benchmark_return,
    days.daily_return - (models.alpha + models.beta * days.benchmark_return) as abnormal_return
from {{ ref('int_event_day_returns_joined') }} as days
cross join span
inner join {{ ref('int_market_models_fitted') }} as models
    on models.event_id = days.event_id and models.symbol = days.symbol
where models.model_status = 'fitted'
    and days.relative_day between span.first_day and span.last_day
