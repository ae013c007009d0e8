select
    upper(cast(iso3 as {{ dbt.type_string() }})) as iso3,
    cast(tier as integer) as tier,
    cast(listed_as as {{ dbt.type_string() }}) as listed_as,
    cast(nullif(trim(cast(effective_on as {{ dbt.type_string() }})), '') as date) as effective_on,
    cast(nullif(trim(cast(rescinded_on as {{ dbt.type_string() }})), '') as date) as rescinded_on,
    upper(nullif(trim(cast(treated_as_iso3 as {{ dbt.type_string() }})), '')) as treated_as_iso3,
    cast(source_name as {{ dbt.type_string() }}) as source_name,
    cast(source_url as {{ dbt.type_string() }}) as source_url,
    cast(confidence as {{ dbt.type_string() }}) as confidence
from {{ ref('diffusion_tiers') }}
