select
    cast(estimate_id as varchar) as estimate_id,
    cast(source_name as varchar) as source_name,
    cast(nullif(trim(cast(published_on as varchar)), '') as date) as published_on,
    cast(year_described as integer) as year_described,
    cast(scope as varchar) as scope,
    cast(inference_share as double) as inference_share,
    cast(share_qualifier as varchar) as share_qualifier,
    cast(is_forecast as boolean) as is_forecast,
    cast(source_url as varchar) as source_url,
    cast(confidence as varchar) as confidence,
    cast(note as varchar) as note
from {{ ref('curated_demand_mix_estimates') }}
