select
    cast(claim_id as {{ dbt.type_string() }}) as claim_id,
    cast(chip_id as {{ dbt.type_string() }}) as chip_id,
    cast(reference_chip_id as {{ dbt.type_string() }}) as reference_chip_id,
    cast(reported_ratio as double) as reported_ratio,
    cast(what_is_compared as {{ dbt.type_string() }}) as what_is_compared,
    cast(source_name as {{ dbt.type_string() }}) as source_name,
    cast(source_url as {{ dbt.type_string() }}) as source_url,
    cast(confidence as {{ dbt.type_string() }}) as confidence,
    cast(note as {{ dbt.type_string() }}) as note
from {{ ref('curated_inference_claims') }}
