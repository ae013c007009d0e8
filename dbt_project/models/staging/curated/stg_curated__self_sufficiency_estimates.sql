select
    cast(estimate_id as varchar) as estimate_id,
    cast(metric as varchar) as metric,
    cast(year as integer) as year,
    cast(value as double) as value,
    cast(is_forecast as boolean) as is_forecast,
    cast(basis as varchar) as basis,
    cast(source_name as varchar) as source_name,
    cast(nullif(trim(cast(published_on as varchar)), '') as date) as published_on,
    cast(source_url as varchar) as source_url,
    cast(confidence as varchar) as confidence,
    cast(note as varchar) as note
from {{ ref('self_sufficiency_estimates') }}
