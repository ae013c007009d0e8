select
    cast(estimate_id as {{ dbt.type_string() }}) as estimate_id,
    cast(metric as {{ dbt.type_string() }}) as metric,
    cast(year as integer) as year,
    cast(value as double) as value,
    cast(is_forecast as boolean) as is_forecast,
    cast(basis as {{ dbt.type_string() }}) as basis,
    cast(source_name as {{ dbt.type_string() }}) as source_name,
    cast(nullif(trim(cast(published_on as {{ dbt.type_string() }})), '') as date) as published_on,
    cast(source_url as {{ dbt.type_string() }}) as source_url,
    cast(confidence as {{ dbt.type_string() }}) as confidence,
    cast(note as {{ dbt.type_string() }}) as note
from {{ ref('self_sufficiency_estimates') }}
