{#- t0 for every (event, listing) (int_event_listings_anchored): the first session of the listing's exchange whose close
    comes after the announcement, and the listing's bar that day. -#}
{% macro event_listings_anchoring() %}
with events as (
    select event_id, announced_at from {{ ref('stg_curated__events') }}
),

listings as (
    select symbol, trading_calendar, benchmark_symbol
    from {{ ref('stg_curated__listings') }}
    where not is_benchmark
),

-- t0 once per (event, trading calendar), then given to every listing on that calendar: the inequality join reads
-- events x calendars x sessions, not events x listings x sessions
t0_by_calendar as (
    select
        events.event_id,
        calendars.trading_calendar,
        min(sessions.session_date) as t0_session_date
    from events
    cross join (select distinct trading_calendar from listings) as calendars
    inner join {{ ref('stg_calendars__sessions') }} as sessions
        on sessions.trading_calendar = calendars.trading_calendar
        and sessions.close_at > events.announced_at
    group by events.event_id, calendars.trading_calendar
),

first_close as (
    select
        events.event_id,
        listings.symbol,
        listings.benchmark_symbol,
        t0_by_calendar.t0_session_date
    from events
    cross join listings
    left join t0_by_calendar
        on t0_by_calendar.event_id = events.event_id
        and t0_by_calendar.trading_calendar = listings.trading_calendar
)

select
    first_close.event_id,
    first_close.symbol,
    first_close.benchmark_symbol,
    first_close.t0_session_date,
    bars.trade_date as event_date,
    bars.session_index as t0_index
from first_close
left join {{ ref('int_daily_returns_indexed') }} as bars
    on bars.symbol = first_close.symbol
    and bars.trade_date = first_close.t0_session_date
{% endmacro %}

{#- Daily returns in event time for each anchored (event, listing) with t0 (int_event_day_returns_joined), or only for
    the pairs this build computes (only_pairs_to_build: int_event_day_returns_to_build), or only for the pairs the
    query `pairs` returns (event_id, symbol). -#}
{% macro event_day_returns(only_pairs_to_build, pairs=none) %}
with span as (
    {{ study_span() }}
),

anchored as (
    select anchored.*
    from {{ ref('int_event_listings_anchored') }} as anchored
    {%- if only_pairs_to_build %}
    inner join {{ ref('int_event_pairs_to_build') }} as pairs_to_build
        on pairs_to_build.event_id = anchored.event_id and pairs_to_build.symbol = anchored.symbol
    {%- endif %}
    {%- if pairs is not none %}
    inner join ({{ pairs }}) as chosen_pairs
        on chosen_pairs.event_id = anchored.event_id and chosen_pairs.symbol = anchored.symbol
    {%- endif %}
    where anchored.t0_index is not null
),

-- every listing session within one session of some event's t0 (every event's, not only the pairs computed), with the
-- first and last such event (a day is another event's when either differs from the event being studied)
event_days as (
    select
        every_event.symbol,
        every_event.t0_index + offsets.offset_days as session_index,
        min(every_event.event_id) as first_event_id,
        max(every_event.event_id) as last_event_id
    from {{ ref('int_event_listings_anchored') }} as every_event
    cross join (values (-1), (0), (1)) as offsets(offset_days)
    where every_event.t0_index is not null
    group by every_event.symbol, every_event.t0_index + offsets.offset_days
)

select
    anchored.event_id,
    anchored.symbol,
    anchored.benchmark_symbol,
    anchored.event_date,
    bars.session_index,
    bars.session_index - anchored.t0_index as relative_day,
    bars.trade_date,
    bars.daily_return,
    bench.daily_return as benchmark_return,
    coalesce(event_days.first_event_id <> anchored.event_id or event_days.last_event_id <> anchored.event_id, false)
        as in_other_event_window
from anchored
cross join span
inner join {{ ref('int_daily_returns_indexed') }} as bars
    on bars.symbol = anchored.symbol
    and bars.session_index between anchored.t0_index + span.first_day and anchored.t0_index + span.last_day
left join {{ ref('int_daily_returns_indexed') }} as bench
    on bench.symbol = anchored.benchmark_symbol
    and bench.trade_date = bars.trade_date
left join event_days
    on event_days.symbol = bars.symbol
    and event_days.session_index = bars.session_index
{% endmacro %}
