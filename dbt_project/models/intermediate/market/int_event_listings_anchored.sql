-- t0 for every (event, listing): the first session of the listing's exchange whose close comes after the
-- announcement (news during trading hours -> that day; after the close -> the next session; a US evening is the
-- next morning in Shanghai). Closes come from exchange_calendars, so holidays such as Golden Week move t0.
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
