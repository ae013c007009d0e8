select
    cast(claim_id as {{ dbt.type_string() }}) as claim_id,
    cast(claim_order as integer) as claim_order,
    cast(wording as {{ dbt.type_string() }}) as wording,
    cast(claimed_by as {{ dbt.type_string() }}) as claimed_by,
    cast(source_name as {{ dbt.type_string() }}) as source_name,
    cast(source_url as {{ dbt.type_string() }}) as source_url,
    cast(confidence as {{ dbt.type_string() }}) as confidence,
    cast(note as {{ dbt.type_string() }}) as note
from {{ ref('story_claims') }}
