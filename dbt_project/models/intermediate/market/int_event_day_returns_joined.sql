-- For each anchored (event, listing): its daily returns from the start of the estimation window to the end of the
-- longest event or path window, in event time (relative_day 0 = t0), with the benchmark's return on the same date,
-- and whether the day lies within one session of another event's t0 on this listing (in_other_event_window: the
-- days var estimation_excludes_other_events drops from estimation windows). SQL: macro event_day_returns.
-- The group models read it, and so do the per-listing models in a full build; an incremental build's read
-- int_event_day_returns_to_build (the pairs it computes).
-- A view, not a table: at the benchmark's large scale it is 64 M rows; materializing them cost half the event-study
-- time and, under the DuckDB memory limit, spilled to disk (docs/benchmarks.md). DuckDB streams the view instead.
{{ config(materialized='view') }}

{{ event_day_returns(only_pairs_to_build=false) }}
