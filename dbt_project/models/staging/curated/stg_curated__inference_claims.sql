select
    cast(claim_id as varchar) as claim_id,
    cast(chip_id as varchar) as chip_id,
    cast(reference_chip_id as varchar) as reference_chip_id,
    cast(reported_ratio as double) as reported_ratio,
    cast(what_is_compared as varchar) as what_is_compared,
    cast(source_name as varchar) as source_name,
    cast(source_url as varchar) as source_url,
    cast(confidence as varchar) as confidence,
    cast(note as varchar) as note
from {{ ref('curated_inference_claims') }}
