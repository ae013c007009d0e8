select
    cast(estimate_id as {{ dbt.type_string() }}) as estimate_id,
    cast(source_name as {{ dbt.type_string() }}) as source_name,
    cast(nullif(trim(cast(published_on as {{ dbt.type_string() }})), '') as date) as published_on,
    cast(year_described as integer) as year_described,
    cast(scope as {{ dbt.type_string() }}) as scope,
    cast(inference_share as double) as inference_share,
    cast(share_qualifier as {{ dbt.type_string() }}) as share_qualifier,
    cast(is_forecast as boolean) as is_forecast,
    cast(source_url as {{ dbt.type_string() }}) as source_url,
    cast(confidence as {{ dbt.type_string() }}) as confidence,
    cast(note as {{ dbt.type_string() }}) as note
from {{ ref('curated_demand_mix_estimates') }}
