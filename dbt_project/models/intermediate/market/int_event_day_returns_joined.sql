-- A view, not a table: at the benchmark's large scale it is 64 M rows that the market model and the abnormal
-- returns each read once; materializing them cost half the event-study time and, under the DuckDB memory limit,
-- spilled to disk (README "Benchmarks"). As a view DuckDB streams it into both.
{{ config(materialized='view') }}

-- For each anchored (event, listing): its daily returns from the start of the estimation window to the end of
-- the longest event window, in event time (relative_day 0 = t0), with the benchmark's return on the same date.
with span as (
    select
        least({{ var('estimation_window_start') }}, min(window_start)) as first_day,
        max(window_end) as last_day
    from {{ ref('event_windows') }}
),

anchored as (
    select * from {{ ref('int_event_listings_anchored') }} where t0_index is not null
)

select
    anchored.event_id,
    anchored.symbol,
    anchored.benchmark_symbol,
    anchored.event_date,
    bars.session_index - anchored.t0_index as relative_day,
    bars.trade_date,
    bars.daily_return,
    bench.daily_return as benchmark_return
from anchored
cross join span
inner join {{ ref('int_daily_returns_indexed') }} as bars
    on bars.symbol = anchored.symbol
    and bars.session_index between anchored.t0_index + span.first_day and anchored.t0_index + span.last_day
left join {{ ref('int_daily_returns_indexed') }} as bench
    on bench.symbol = anchored.benchmark_symbol
    and bench.trade_date = bars.trade_date
