-- A view, not a table: at the benchmark's large scale it is 64 M rows that the model fits and the abnormal returns
-- each read once; materializing them cost half the event-study time and, under the DuckDB memory limit, spilled to
-- disk (README "Benchmarks"). As a view DuckDB streams it into both.
{{ config(materialized='view') }}

-- For each anchored (event, listing): its daily returns from the start of the estimation window to the end of the
-- longest event or path window, in event time (relative_day 0 = t0), with the benchmark's return on the same date,
-- and whether the day lies within one session of another event's t0 on this listing (in_other_event_window: the
-- days var estimation_excludes_other_events drops from estimation windows).
with span as (
    {{ study_span() }}
),

anchored as (
    select * from {{ ref('int_event_listings_anchored') }} where t0_index is not null
),

-- every listing session within one session of some event's t0, with the first and last such event (a day is another
-- event's when either differs from the event being studied)
event_days as (
    select
        anchored.symbol,
        anchored.t0_index + offsets.offset_days as session_index,
        min(anchored.event_id) as first_event_id,
        max(anchored.event_id) as last_event_id
    from anchored
    cross join (values (-1), (0), (1)) as offsets(offset_days)
    group by anchored.symbol, anchored.t0_index + offsets.offset_days
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
