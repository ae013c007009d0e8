-- The equal-weight portfolio of each listing group per event: on each trading date, the mean return of the members
-- with a fitted model for the event (a member without a bar that day drops out of that day's mean), beside the
-- group's benchmark. Dates come from the members' own bars; a group lives on one trading calendar, so its members
-- share t0, and the portfolio's event time (relative_day) counts its dates from t0.
with members as (
    select group_id, event_id, symbol, t0_session_date
    from {{ ref('int_event_group_members_fitted') }}
    where model = 'market_model'
),

dated as (
    select
        members.event_id,
        members.group_id,
        days.trade_date,
        max(members.t0_session_date) as t0_session_date,
        avg(days.daily_return {{ in_order('days.symbol') }}) as daily_return,
        avg(days.benchmark_return {{ in_order('days.symbol') }}) as benchmark_return,
        max(case when days.in_other_event_window then 1 else 0 end) = 1 as in_other_event_window,
        count(days.daily_return) as members_with_return
    from members
    inner join {{ ref('int_event_day_returns_joined') }} as days
        on days.event_id = members.event_id and days.symbol = members.symbol
    group by members.event_id, members.group_id, days.trade_date
),

indexed as (
    select
        dated.*,
        row_number() over (partition by dated.event_id, dated.group_id order by dated.trade_date) as portfolio_index
    from dated
)

select
    indexed.event_id,
    indexed.group_id,
    indexed.portfolio_index - t0.portfolio_index as relative_day,
    indexed.trade_date,
    indexed.daily_return,
    indexed.benchmark_return,
    indexed.in_other_event_window,
    cast(indexed.members_with_return as integer) as members_with_return
from indexed
inner join indexed as t0
    on t0.event_id = indexed.event_id
    and t0.group_id = indexed.group_id
    and t0.trade_date = t0.t0_session_date
