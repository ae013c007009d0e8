-- int_event_day_returns_joined for the pairs this build computes only (int_event_pairs_to_build: every pair in a
-- full build), which the incremental event-study models read. A view, as int_event_day_returns_joined.
{{ config(materialized='view') }}

{{ event_day_returns(only_pairs_to_build=true) }}
