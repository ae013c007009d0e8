-- The (event, listing) pairs whose event study this build computes: in a full build every pair; in an incremental
-- build (macros/incremental.sql) the pairs whose inputs this build changed, which the incremental event-study models
-- delete and compute again. A pair's inputs are its anchoring (t0), the listing's returns up to the end of its study
-- span, and its benchmark's returns on those days; rows rebuilt in this build carry its invocation id:
--   - its anchoring is new or changed, or the anchoring of another event on the listing moved to or from a session
--     within one session of its span (which days are other events' and how many fall in its windows);
--   - the listing's returns were rebuilt from a session at or before the end of its span (or it has no t0 bar yet);
--   - the benchmark's returns were rebuilt from a day at or before the listing's last day in the span (or the span
--     runs past the listing's last bar, or the benchmark was rebuilt from its first session);
--   - the listing or its benchmark has no returns at all (its status depends on that absence).
-- A changed seed that feeds these models (events, listings, event windows) makes the refresh a full build
-- (pipelines/lib/build_state.py), so no pair ever needs to disappear here.
with span as (
    {{ study_span() }}
),

anchored as (
    select
        anchored.event_id,
        anchored.symbol,
        anchored.benchmark_symbol,
        anchored.t0_index,
        anchored.t0_index + span.last_day as last_span_index,
        anchored.previous_t0_index,
        anchored.built_in_invocation_id = '{{ invocation_id }}' as anchoring_rebuilt,
        span.first_day,
        span.last_day
    from {{ ref('int_event_listings_anchored') }} as anchored
    cross join span
),

-- the sessions where a changed anchoring put or took away a t0
moved_t0 as (
    select symbol, t0_index as t0_moved from anchored where anchoring_rebuilt and t0_index is not null
    union all
    select symbol, previous_t0_index as t0_moved from anchored where anchoring_rebuilt and previous_t0_index is not null
),

near_moved_t0 as (
    select distinct anchored.event_id, anchored.symbol
    from anchored
    inner join moved_t0
        on moved_t0.symbol = anchored.symbol
        and moved_t0.t0_moved between anchored.t0_index + anchored.first_day - 1 and anchored.last_span_index + 1
),

returns as (
    select symbol, trade_date, session_index, built_in_invocation_id
    from {{ ref('int_daily_returns_indexed') }}
),

rebuilt as (
    select symbol, min(session_index) as first_rebuilt_index, min(trade_date) as first_rebuilt_date
    from returns
    where built_in_invocation_id = '{{ invocation_id }}'
    group by symbol
),

with_returns as (
    select symbol from returns where session_index = 1
),

span_end as (
    select anchored.event_id, anchored.symbol, returns.trade_date as last_span_date
    from anchored
    inner join returns
        on returns.symbol = anchored.symbol
        and returns.session_index = anchored.last_span_index
)

select anchored.event_id, anchored.symbol
from anchored
left join rebuilt as listing_rebuilt on listing_rebuilt.symbol = anchored.symbol
left join rebuilt as benchmark_rebuilt on benchmark_rebuilt.symbol = anchored.benchmark_symbol
left join with_returns as listing_returns on listing_returns.symbol = anchored.symbol
left join with_returns as benchmark_returns on benchmark_returns.symbol = anchored.benchmark_symbol
left join span_end on span_end.event_id = anchored.event_id and span_end.symbol = anchored.symbol
left join near_moved_t0 on near_moved_t0.event_id = anchored.event_id and near_moved_t0.symbol = anchored.symbol
where {{ 'true' if flags.FULL_REFRESH else 'false' }}
    or anchored.anchoring_rebuilt
    or near_moved_t0.event_id is not null
    or listing_rebuilt.first_rebuilt_index <= coalesce(anchored.last_span_index, listing_rebuilt.first_rebuilt_index)
    or benchmark_rebuilt.first_rebuilt_index = 1
    or benchmark_rebuilt.first_rebuilt_date <= coalesce(span_end.last_span_date, benchmark_rebuilt.first_rebuilt_date)
    or listing_returns.symbol is null
    or (anchored.benchmark_symbol is not null and benchmark_returns.symbol is null)
