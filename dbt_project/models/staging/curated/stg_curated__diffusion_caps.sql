select
    cast(cap_id as {{ dbt.type_string() }}) as cap_id,
    cast(description as {{ dbt.type_string() }}) as description,
    cast(tpp as double) as tpp,
    cast(h100e_as_reported as double) as h100e_as_reported,
    cast(per as {{ dbt.type_string() }}) as per,
    cast(nullif(trim(cast(period_start as {{ dbt.type_string() }})), '') as date) as period_start,
    cast(nullif(trim(cast(period_end as {{ dbt.type_string() }})), '') as date) as period_end,
    cast(applies_to as {{ dbt.type_string() }}) as applies_to,
    cast(source_name as {{ dbt.type_string() }}) as source_name,
    cast(source_url as {{ dbt.type_string() }}) as source_url,
    cast(confidence as {{ dbt.type_string() }}) as confidence,
    cast(note as {{ dbt.type_string() }}) as note
from {{ ref('diffusion_caps') }}
