-- China self-sufficiency figures by year and metric, each with its source and whether it is a forecast.
select
    cast(year as integer) as year,
    cast(metric as varchar) as metric,
    value,
    is_forecast,
    cast(basis as varchar) as basis,
    cast(estimate_id as varchar) as estimate_id,
    cast(source_name as varchar) as source_name,
    published_on,
    cast(source_url as varchar) as source_url,
    cast(confidence as varchar) as confidence,
    cast(note as varchar) as note
from {{ ref('stg_curated__self_sufficiency_estimates') }}
