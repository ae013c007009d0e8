-- How much an event's measured reaction depends on the expected-return model, per (event, subject, window): the CAR
-- and p-value under each model side by side (a subject is a listing group's portfolio, from
-- fct_event_group_reactions, or one listing, from fct_event_returns_v2 and, for US listings, the four-factor model of
-- fct_event_factor_model_returns), their range, and flags for when the sign or the significance at 5% changes with
-- the model. A headline should report the spread, not one model's CAR.
with results as (
    {{ event_reactions_by_subject() }}
),

compared as (
    select
        event_id, subject_type, subject, window_start, window_end,
        count(*) as models,
        max(case when model = 'market_model' then car end) as car_market_model,
        max(case when model = 'market_adjusted' then car end) as car_market_adjusted,
        max(case when model = 'constant_mean' then car end) as car_constant_mean,
        max(case when model = 'carhart_four_factor' then car end) as car_carhart_four_factor,
        max(case when model = 'market_model' then p_value end) as p_value_market_model,
        max(case when model = 'market_adjusted' then p_value end) as p_value_market_adjusted,
        max(case when model = 'constant_mean' then p_value end) as p_value_constant_mean,
        max(case when model = 'carhart_four_factor' then p_value end) as p_value_carhart_four_factor,
        min(car) as car_min,
        max(car) as car_max,
        sum(case when p_value < 0.05 then 1 else 0 end) as models_significant_5pct,
        count(p_value) as models_with_p_value
    from results
    group by event_id, subject_type, subject, window_start, window_end
)

select
    cast(event_id as {{ dbt.type_string() }}) as event_id,
    cast(subject_type as {{ dbt.type_string() }}) as subject_type,
    cast(subject as {{ dbt.type_string() }}) as subject,
    cast(window_start as integer) as window_start,
    cast(window_end as integer) as window_end,
    cast(models as integer) as models,
    car_market_model,
    car_market_adjusted,
    car_constant_mean,
    car_carhart_four_factor,
    p_value_market_model,
    p_value_market_adjusted,
    p_value_constant_mean,
    p_value_carhart_four_factor,
    car_min,
    car_max,
    round(car_max - car_min, 12) as car_range,
    car_min < 0 and car_max > 0 as sign_depends_on_model,
    cast(models_significant_5pct as integer) as models_significant_5pct,
    models_significant_5pct > 0 and models_significant_5pct < models_with_p_value as significance_depends_on_model
from compared
