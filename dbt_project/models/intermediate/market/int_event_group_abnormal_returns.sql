-- Each group portfolio's daily abnormal return under each model, for every day of the event and CAR-path windows
-- (macro abnormal_return: the constant mean needs no benchmark return).
with span as (
    {{ abnormal_return_span() }}
)

select
    days.event_id,
    days.group_id,
    fits.model,
    days.relative_day,
    days.trade_date,
    days.daily_return,
    days.benchmark_return,
    days.members_with_return,
    {{ abnormal_return('fits.model', 'fits.alpha', 'fits.beta', 'days.daily_return', 'days.benchmark_return') }}
        as abnormal_return
from {{ ref('int_event_group_portfolio_returns') }} as days
cross join span
inner join {{ ref('int_event_group_models_fitted') }} as fits
    on fits.event_id = days.event_id and fits.group_id = days.group_id
where days.relative_day between span.first_day and span.last_day
