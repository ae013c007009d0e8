-- CAR paths: for every (event, listing) and (event, group portfolio), each model's abnormal return on each day from
-- path_window_start to path_window_end (default -10..+10) in event time, and the CAR from the first day of the path to
-- that day with its prediction-error-corrected standard error and 95% band. A path stops at its first missing day
-- (a recent event shows the days that have prices).
with listing_days as (
    select
        'listing' as entity_type, symbol as entity_id, event_id, model, relative_day, trade_date,
        abnormal_return, benchmark_return
    from {{ ref('int_abnormal_returns_computed') }}
    where relative_day between {{ var('path_window_start') }} and {{ var('path_window_end') }}
),

group_days as (
    select
        'group' as entity_type, group_id as entity_id, event_id, model, relative_day, trade_date,
        abnormal_return, benchmark_return
    from {{ ref('int_event_group_abnormal_returns') }}
    where relative_day between {{ var('path_window_start') }} and {{ var('path_window_end') }}
),

days as (
    select * from listing_days
    union all
    select * from group_days
),

cumulated as (
    select
        days.*,
        sum(abnormal_return) over (
            partition by entity_type, entity_id, event_id, model order by relative_day
            rows between unbounded preceding and current row) as car,
        count(abnormal_return) over (
            partition by entity_type, entity_id, event_id, model order by relative_day
            rows between unbounded preceding and current row) as car_days,
        sum(benchmark_return) over (
            partition by entity_type, entity_id, event_id, model order by relative_day
            rows between unbounded preceding and current row) as benchmark_return_sum
    from days
),

fits as (
    select
        'listing' as entity_type, symbol as entity_id, event_id, model,
        estimation_days, residual_df, residual_sd, benchmark_mean, benchmark_sxx
    from {{ ref('int_event_models_fitted') }}
    where model_status = 'fitted' and estimation_sample = {{ chosen_estimation_sample() }}
    union all
    select
        'group' as entity_type, group_id as entity_id, event_id, model,
        estimation_days, residual_df, residual_sd, benchmark_mean, benchmark_sxx
    from {{ ref('int_event_group_models_fitted') }}
),

banded as (
    select
        cumulated.*,
        fits.residual_df,
        {{ car_standard_error('fits', 'cumulated.car_days', 'cumulated.benchmark_return_sum') }} as car_se
    from cumulated
    inner join fits
        on fits.entity_type = cumulated.entity_type
        and fits.entity_id = cumulated.entity_id
        and fits.event_id = cumulated.event_id
        and fits.model = cumulated.model
    where cumulated.car_days = cumulated.relative_day - {{ var('path_window_start') }} + 1
)

select
    cast(entity_type as {{ dbt.type_string() }}) as entity_type,
    cast(entity_id as {{ dbt.type_string() }}) as entity_id,
    cast(event_id as {{ dbt.type_string() }}) as event_id,
    cast(model as {{ dbt.type_string() }}) as model,
    cast(relative_day as integer) as relative_day,
    trade_date,
    round(abnormal_return, 12) as abnormal_return,
    round(car, 12) as car,
    cast(car_days as integer) as car_days,
    round(car_se, 12) as car_se,
    round(car - {{ student_t_975('residual_df') }} * car_se, 10) as ci_low,
    round(car + {{ student_t_975('residual_df') }} * car_se, 10) as ci_high
from banded
