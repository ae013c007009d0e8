-- Every (event, listing) pair the study considered, with its market model or the reason it has none.
select
    cast(models.event_id as {{ dbt.type_string() }}) as event_id,
    cast(models.symbol as {{ dbt.type_string() }}) as symbol,
    models.t0_session_date,
    models.event_date,
    cast(models.benchmark_symbol as {{ dbt.type_string() }}) as benchmark_symbol,
    cast(models.estimation_days as integer) as estimation_days,
    models.alpha,
    models.beta,
    models.residual_sd,
    cast(models.model_status as {{ dbt.type_string() }}) as model_status
from {{ ref('int_market_models_fitted') }} as models
