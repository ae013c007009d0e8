-- Event study results per (event, listing, expected-return model, window): the CAR, its prediction-error-corrected
-- standard error, t, p-value and 95% interval (Student t with the model's residual df), and the compounded raw
-- returns. Only complete windows are reported: every day must have an abnormal return (a return, and a benchmark
-- return unless the model is the constant mean). A listing too new for an estimation window has market-adjusted CARs
-- without a standard error or test (model_status no_estimation_window).
-- confounded_by names the listing's own news (seed company_news) whose first reaction may fall in the window.
-- Benjamini-Hochberg q-values and Bonferroni p-values adjust p_value within every event x listing of one model and
-- window (multiple_testing_family; macro listing_multiple_testing).
-- A table rebuilt in full by every build (its inputs, int_abnormal_returns_computed and int_event_models_fitted, are
-- incremental): a q-value depends on every p-value of its family, so every row can change with any new result; an
-- incremental table with a post-hook UPDATE of every row cost more than the rebuild, and its transaction held
-- DuckDB's whole 1 GB memory limit at the benchmark's large scale, so the models after it ran out of memory.
with abnormal_returns as (
    select * from {{ ref('int_abnormal_returns_computed') }}
),

per_window as (
    {{ event_window_sums('abnormal_returns', ['event_id', 'symbol']) }}
),

other_events as (
    {{ other_events_by_window() }}
),

tested as (
    select
        per_window.*,
        models.alpha,
        models.beta,
        models.residual_sd,
        models.residual_df,
        models.estimation_days,
        models.estimation_sample,
        models.benchmark_symbol,
        models.benchmark_role,
        models.event_date,
        models.other_events_in_estimation_window,
        models.model_status,
        {{ car_standard_error('models', 'per_window.window_days', 'per_window.benchmark_return_sum') }} as car_se
    from per_window
    inner join {{ ref('int_event_models_fitted') }} as models
        on models.event_id = per_window.event_id
        and models.symbol = per_window.symbol
        and models.model = per_window.model
        and models.estimation_sample = {{ chosen_estimation_sample() }}
    where per_window.days_with_returns = per_window.window_days
),

with_t as (
    select tested.*, tested.car / nullif(tested.car_se, 0) as t_stat from tested
),

-- the t statistic as its normal deviate, one step before the p-value (macros/statistics.sql says why)
with_deviate as (
    select with_t.*, {{ student_t_normal_deviate('with_t.t_stat', 'with_t.residual_df') }} as t_stat_deviate
    from with_t
),

results as (
select
    cast(with_deviate.event_id as {{ dbt.type_string() }}) as event_id,
    cast(with_deviate.symbol as {{ dbt.type_string() }}) as symbol,
    with_deviate.event_date,
    cast(with_deviate.model as {{ dbt.type_string() }}) as model,
    cast(with_deviate.window_start as integer) as window_start,
    cast(with_deviate.window_end as integer) as window_end,
    cast(with_deviate.window_days as integer) as window_days,
    round(with_deviate.raw_return, 12) as raw_return,
    round(with_deviate.benchmark_return, 12) as benchmark_return,
    round(with_deviate.car, 12) as car,
    round(with_deviate.car_se, 12) as car_se,
    round(with_deviate.t_stat, 12) as t_stat,
    cast(with_deviate.residual_df as integer) as residual_df,
    round({{ normal_two_sided_p('with_deviate.t_stat_deviate') }}, 8) as p_value,
    round(with_deviate.car - {{ student_t_975('with_deviate.residual_df') }} * with_deviate.car_se, 10) as ci_low,
    round(with_deviate.car + {{ student_t_975('with_deviate.residual_df') }} * with_deviate.car_se, 10) as ci_high,
    round(with_deviate.car / (with_deviate.residual_sd * sqrt(with_deviate.window_days)), 12) as t_stat_ignoring_estimation_error,
    with_deviate.alpha,
    with_deviate.beta,
    with_deviate.residual_sd,
    cast(with_deviate.estimation_days as integer) as estimation_days,
    cast(with_deviate.estimation_sample as {{ dbt.type_string() }}) as estimation_sample,
    cast(with_deviate.benchmark_symbol as {{ dbt.type_string() }}) as benchmark_symbol,
    cast(with_deviate.benchmark_role as {{ dbt.type_string() }}) as benchmark_role,
    cast(other_events.other_events_in_window as {{ dbt.type_string() }}) as other_events_in_window,
    cast(with_deviate.other_events_in_estimation_window as integer) as other_events_in_estimation_window,
    cast(other_events.shares_t0_with as {{ dbt.type_string() }}) as shares_t0_with,
    cast(with_deviate.model_status as {{ dbt.type_string() }}) as model_status,
    cast(news.confounded_by as {{ dbt.type_string() }}) as confounded_by
from with_deviate
left join other_events
    on other_events.event_id = with_deviate.event_id
    and other_events.symbol = with_deviate.symbol
    and other_events.window_start = with_deviate.window_start
    and other_events.window_end = with_deviate.window_end
left join {{ ref('int_event_news_in_windows') }} as news
    on news.event_id = with_deviate.event_id
    and news.symbol = with_deviate.symbol
    and news.window_start = with_deviate.window_start
    and news.window_end = with_deviate.window_end
)

select
    results.*,
    adjusted.q_value,
    adjusted.p_bonferroni,
    adjusted.multiple_testing_family,
    adjusted.multiple_testing_tests
from results
inner join ({{ listing_multiple_testing('results') }}) as adjusted
    on adjusted.event_id = results.event_id
    and adjusted.symbol = results.symbol
    and adjusted.model = results.model
    and adjusted.window_start = results.window_start
    and adjusted.window_end = results.window_end
