-- Every (event, listing) pair the study considered, with its market model on the chosen estimation sample or the
-- reason it has none. Other models and samples: fct_event_returns_v2.model, fct_event_estimation_contamination.
select
    cast(models.event_id as {{ dbt.type_string() }}) as event_id,
    cast(models.symbol as {{ dbt.type_string() }}) as symbol,
    models.t0_session_date,
    models.event_date,
    cast(models.benchmark_symbol as {{ dbt.type_string() }}) as benchmark_symbol,
    cast(models.benchmark_role as {{ dbt.type_string() }}) as benchmark_role,
    cast(models.estimation_days as integer) as estimation_days,
    models.alpha,
    models.beta,
    models.residual_sd,
    cast(models.model_status as {{ dbt.type_string() }}) as model_status,
    cast(models.estimation_sample as {{ dbt.type_string() }}) as estimation_sample,
    cast(models.other_events_in_estimation_window as integer) as other_events_in_estimation_window
from {{ ref('int_event_models_fitted') }} as models
where models.model = 'market_model'
    and models.estimation_sample = {{ chosen_estimation_sample() }}
