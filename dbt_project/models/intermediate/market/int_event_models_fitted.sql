-- Every (event, listing) the study considered, once per estimation sample and expected-return model (macro
-- fit_event_models), with the fitted parameters or the reason there are none (model_status). A model needs
-- min_estimation_days days in its estimation sample: with both returns (market model, market-adjusted), or with the
-- listing's own return (constant mean, which needs no benchmark). Market-adjusted returns need no estimate: a listing
-- with too short a history still gets them, as 'no_estimation_window' (alpha 0, beta 1, no residual standard
-- deviation, so its CARs carry no standard error or test). Incremental on DuckDB: the pairs of
-- int_event_pairs_to_build are deleted (pre-hook) and computed again; the others keep their rows. A full build
-- reads every pair (macro event_day_returns_to_compute).
-- depends_on: {{ ref('int_event_pairs_to_build') }}, {{ ref('int_event_day_returns_to_build') }}
-- depends_on: {{ ref('int_event_day_returns_joined') }}
{{ config(
    materialized=incremental_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook='{{ delete_pairs_to_build() }}',
) }}
with day_returns as (
    select event_id, symbol, relative_day, daily_return as r, benchmark_return as rm, in_other_event_window
    from {{ event_day_returns_to_compute() }}
),

fits as (
    {{ fit_event_models('day_returns', ['event_id', 'symbol']) }}
),

benchmark_coverage as (
    select symbol, count(*) as bars from {{ ref('int_daily_returns_indexed') }} group by symbol
),

other_events as (
    select
        event_id,
        symbol,
        count(case when relative_session between {{ var('estimation_window_start') }}
            and {{ var('estimation_window_end') }} then 1 end) as other_events_in_estimation_window
    from {{ ref('int_event_overlaps') }}
    group by event_id, symbol
),

considered as (
    select anchored.*, samples.estimation_sample, models.model
    from {{ ref('int_event_listings_anchored') }} as anchored
    {{ only_pairs_to_build('anchored') }}
    cross join (values ('all_days'), ('excluding_other_events')) as samples(estimation_sample)
    cross join (values ('market_model'), ('market_adjusted'), ('constant_mean')) as models(model)
),

statused as (
    select
        considered.event_id,
        considered.symbol,
        considered.benchmark_symbol,
        considered.benchmark_role,
        considered.t0_session_date,
        considered.event_date,
        considered.estimation_sample,
        considered.model,
        coalesce(fits.estimation_days, 0) as estimation_days,
        fits.residual_df,
        fits.alpha,
        fits.beta,
        fits.residual_sd,
        fits.benchmark_mean,
        fits.benchmark_sxx,
        cast(coalesce(other_events.other_events_in_estimation_window, 0) as integer) as other_events_in_estimation_window,
        case
            when considered.t0_session_date is null then 'no_session_after_announcement'
            when considered.t0_index is null then 'no_price_on_event_day'
            when coalesce(benchmark_coverage.bars, 0) = 0 and considered.model <> 'constant_mean'
                then 'no_benchmark_data'
            when coalesce(fits.estimation_days, 0) < {{ var('min_estimation_days') }}
                and considered.model = 'market_adjusted' then 'no_estimation_window'
            when coalesce(fits.estimation_days, 0) < {{ var('min_estimation_days') }} then 'too_few_estimation_days'
            else 'fitted'
        end as model_status
    from considered
    left join fits
        on fits.event_id = considered.event_id
        and fits.symbol = considered.symbol
        and fits.estimation_sample = considered.estimation_sample
        and fits.model = considered.model
    left join benchmark_coverage
        on benchmark_coverage.symbol = considered.benchmark_symbol
    left join other_events
        on other_events.event_id = considered.event_id and other_events.symbol = considered.symbol
)

select
    event_id,
    symbol,
    benchmark_symbol,
    benchmark_role,
    t0_session_date,
    event_date,
    estimation_sample,
    model,
    cast(estimation_days as integer) as estimation_days,
    cast(case when model_status = 'fitted' then residual_df end as integer) as residual_df,
    case
        when model_status = 'fitted' then round(alpha, 12)
        when model_status = 'no_estimation_window' then cast(0 as double)
    end as alpha,
    case
        when model_status = 'fitted' then round(beta, 12)
        when model_status = 'no_estimation_window' then cast(1 as double)
    end as beta,
    case when model_status = 'fitted' then round(residual_sd, 12) end as residual_sd,
    case when model_status = 'fitted' then benchmark_mean end as benchmark_mean,
    case when model_status = 'fitted' then benchmark_sxx end as benchmark_sxx,
    other_events_in_estimation_window,
    model_status
from statused
