-- Published claims about inference performance beside what the roofline model says for the same pair of chips.
select
    cast(claims.claim_id as {{ dbt.type_string() }}) as claim_id,
    cast(claims.chip_id as {{ dbt.type_string() }}) as chip_id,
    cast(claims.reference_chip_id as {{ dbt.type_string() }}) as reference_chip_id,
    cast(claims.what_is_compared as {{ dbt.type_string() }}) as what_is_compared,
    claims.reported_ratio,
    round(chip.prefill_index / reference.prefill_index, 6) as modeled_prefill_ratio,
    round(chip.decode_index / reference.decode_index, 6) as modeled_decode_ratio,
    round(chip.inference_index / reference.inference_index, 6) as modeled_inference_ratio,
    cast(claims.source_name as {{ dbt.type_string() }}) as source_name,
    cast(claims.source_url as {{ dbt.type_string() }}) as source_url,
    cast(claims.confidence as {{ dbt.type_string() }}) as confidence,
    cast(claims.note as {{ dbt.type_string() }}) as note
from {{ ref('stg_curated__inference_claims') }} as claims
left join {{ ref('int_accelerators_inference_modeled') }} as chip
    on chip.chip_id = claims.chip_id
left join {{ ref('int_accelerators_inference_modeled') }} as reference
    on reference.chip_id = claims.reference_chip_id
