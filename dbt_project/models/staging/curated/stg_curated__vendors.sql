select
    cast(vendor as {{ dbt.type_string() }}) as vendor,
    cast(hq_country_iso3 as {{ dbt.type_string() }}) as hq_country_iso3,
    cast(source_url as {{ dbt.type_string() }}) as source_url
from {{ ref('curated_vendors') }}
