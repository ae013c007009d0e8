select
    upper(cast(iso3 as varchar)) as iso3,
    cast(tier as integer) as tier,
    cast(listed_as as varchar) as listed_as,
    cast(nullif(trim(cast(effective_on as varchar)), '') as date) as effective_on,
    cast(nullif(trim(cast(rescinded_on as varchar)), '') as date) as rescinded_on,
    cast(source_name as varchar) as source_name,
    cast(source_url as varchar) as source_url,
    cast(confidence as varchar) as confidence
from {{ ref('diffusion_tiers') }}
