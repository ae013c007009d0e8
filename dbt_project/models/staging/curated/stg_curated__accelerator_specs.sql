select
    cast(chip_id as {{ dbt.type_string() }}) as chip_id,
    cast(metric as {{ dbt.type_string() }}) as metric,
    cast(value as double) as value,
    cast(source_name as {{ dbt.type_string() }}) as source_name,
    cast(source_url as {{ dbt.type_string() }}) as source_url,
    cast(confidence as {{ dbt.type_string() }}) as confidence,
    cast(preferred as boolean) as is_preferred,
    cast(note as {{ dbt.type_string() }}) as note
from {{ ref('curated_accelerator_specs') }}
