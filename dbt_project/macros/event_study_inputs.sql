{#- t0 for every (event, listing) (int_event_listings_anchored): the first session of the listing's exchange whose close
    comes after the announcement, and the listing's bar that day; and the benchmark its event study uses: the
    listing's own (benchmark_role 'primary') when that has at least min_estimation_days returns on the dates of the
    event's estimation window on the listing's calendar, else its fallback (seed listing_fallback_benchmarks) when
    the fallback has, else its own (the fit then says why it has too few days). The choice depends on the event, the
    calendar and the two benchmarks only, so the members of a listing group share it. -#}
{% macro event_listings_anchoring() %}
with events as (
    select event_id, announced_at from {{ ref('stg_curated__events') }}
),

listings as (
    select listings.symbol, listings.trading_calendar, listings.benchmark_symbol, fallbacks.fallback_benchmark_symbol
    from {{ ref('stg_curated__listings') }} as listings
    left join {{ ref('stg_curated__listing_fallback_benchmarks') }} as fallbacks
        on fallbacks.symbol = listings.symbol
    where not listings.is_benchmark
),

calendar_sessions as (
    select
        trading_calendar,
        session_date,
        close_at,
        row_number() over (partition by trading_calendar order by session_date) as calendar_index
    from {{ ref('stg_calendars__sessions') }}
    where trading_calendar in (select trading_calendar from listings)
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
    inner join calendar_sessions as sessions
        on sessions.trading_calendar = calendars.trading_calendar
        and sessions.close_at > events.announced_at
    group by events.event_id, calendars.trading_calendar
),

-- the dates of each (event, calendar)'s estimation window: from the calendar's session at t0 + estimation_window_start
-- (its first session when the calendar starts later) to the one at t0 + estimation_window_end
estimation_dates as (
    select
        t0_by_calendar.event_id,
        t0_by_calendar.trading_calendar,
        coalesce(first_session.session_date, cast('1900-01-01' as date)) as first_date,
        last_session.session_date as last_date
    from t0_by_calendar
    inner join calendar_sessions as t0_session
        on t0_session.trading_calendar = t0_by_calendar.trading_calendar
        and t0_session.session_date = t0_by_calendar.t0_session_date
    left join calendar_sessions as first_session
        on first_session.trading_calendar = t0_session.trading_calendar
        and first_session.calendar_index = t0_session.calendar_index + {{ var('estimation_window_start') }}
    left join calendar_sessions as last_session
        on last_session.trading_calendar = t0_session.trading_calendar
        and last_session.calendar_index = t0_session.calendar_index + {{ var('estimation_window_end') }}
),

candidate_benchmarks as (
    select trading_calendar, benchmark_symbol from listings where benchmark_symbol is not null
    union
    select trading_calendar, fallback_benchmark_symbol from listings where fallback_benchmark_symbol is not null
),

-- per (event, calendar, candidate benchmark): does it have enough returns in the estimation window?
benchmark_coverage as (
    select
        estimation_dates.event_id,
        estimation_dates.trading_calendar,
        candidate_benchmarks.benchmark_symbol,
        count(bars.daily_return) >= {{ var('min_estimation_days') }} as covers_estimation_window
    from estimation_dates
    inner join candidate_benchmarks
        on candidate_benchmarks.trading_calendar = estimation_dates.trading_calendar
    left join {{ ref('int_daily_returns_indexed') }} as bars
        on bars.symbol = candidate_benchmarks.benchmark_symbol
        and bars.trade_date between estimation_dates.first_date and estimation_dates.last_date
    group by estimation_dates.event_id, estimation_dates.trading_calendar, candidate_benchmarks.benchmark_symbol
),

first_close as (
    select
        events.event_id,
        listings.symbol,
        case
            when coalesce(primary_coverage.covers_estimation_window, false) then 'primary'
            when coalesce(fallback_coverage.covers_estimation_window, false) then 'fallback'
            when listings.benchmark_symbol is not null then 'primary'
        end as benchmark_role,
        t0_by_calendar.t0_session_date,
        listings.benchmark_symbol,
        listings.fallback_benchmark_symbol
    from events
    cross join listings
    left join t0_by_calendar
        on t0_by_calendar.event_id = events.event_id
        and t0_by_calendar.trading_calendar = listings.trading_calendar
    left join benchmark_coverage as primary_coverage
        on primary_coverage.event_id = events.event_id
        and primary_coverage.trading_calendar = listings.trading_calendar
        and primary_coverage.benchmark_symbol = listings.benchmark_symbol
    left join benchmark_coverage as fallback_coverage
        on fallback_coverage.event_id = events.event_id
        and fallback_coverage.trading_calendar = listings.trading_calendar
        and fallback_coverage.benchmark_symbol = listings.fallback_benchmark_symbol
)

select
    first_close.event_id,
    first_close.symbol,
    case when first_close.benchmark_role = 'fallback' then first_close.fallback_benchmark_symbol
        else first_close.benchmark_symbol end as benchmark_symbol,
    first_close.benchmark_role,
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
