-- Daily abnormal returns AR = r - (alpha + beta * r_m) under each expected-return model (r - alpha for the constant
-- mean, which needs no benchmark return), fitted on the chosen estimation sample (var
-- estimation_excludes_other_events), for every day of the event and CAR-path windows; market-adjusted returns also
-- for a listing without an estimation window (model_status no_estimation_window).
-- Incremental on DuckDB: the pairs of int_event_pairs_to_build (the only ones int_event_day_returns_to_build
-- returns) are deleted (pre-hook) and computed again; a full build reads every pair (event_day_returns_to_compute).
-- depends_on: {{ ref('int_event_pairs_to_build') }}, {{ ref('int_event_day_returns_to_build') }}
-- depends_on: {{ ref('int_event_day_returns_joined') }}
{{ config(
    materialized=incremental_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook='{{ delete_pairs_to_build() }}',
) }}
with span as (
    {{ abnormal_return_span() }}
)

select
    days.event_id,
    days.symbol,
    models.model,
    days.relative_day,
    days.trade_date,
    days.daily_return,
    days.benchmark_return,
    {{ abnormal_return('models.model', 'models.alpha', 'models.beta', 'days.daily_return', 'days.benchmark_return') }}
        as abnormal_return
from {{ event_day_returns_to_compute() }} as days
cross join span
inner join {{ ref('int_event_models_fitted') }} as models
    on models.event_id = days.event_id and models.symbol = days.symbol
where models.model_status in ('fitted', 'no_estimation_window')
    and models.estimation_sample = {{ chosen_estimation_sample() }}
    and days.relative_day between span.first_day and span.last_day
