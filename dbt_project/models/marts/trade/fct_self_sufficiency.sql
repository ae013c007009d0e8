-- China self-sufficiency figures by year and metric, each with its source and whether it is a forecast.
select
    cast(year as integer) as year,
    cast(metric as {{ dbt.type_string() }}) as metric,
    cast({{ self_sufficiency_metric_definition('metric') }} as {{ dbt.type_string() }}) as metric_definition,
    value,
    is_forecast,
    cast(basis as {{ dbt.type_string() }}) as basis,
    cast(estimate_id as {{ dbt.type_string() }}) as estimate_id,
    cast(source_name as {{ dbt.type_string() }}) as source_name,
    published_on,
    cast(source_url as {{ dbt.type_string() }}) as source_url,
    cast(confidence as {{ dbt.type_string() }}) as confidence,
    cast(note as {{ dbt.type_string() }}) as note
from {{ ref('stg_curated__self_sufficiency_estimates') }}
