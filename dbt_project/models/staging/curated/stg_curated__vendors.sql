select
    cast(vendor as varchar) as vendor,
    cast(hq_country_iso3 as varchar) as hq_country_iso3,
    cast(source_url as varchar) as source_url
from {{ ref('curated_vendors') }}
