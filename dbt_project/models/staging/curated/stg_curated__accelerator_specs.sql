select
    cast(chip_id as varchar) as chip_id,
    cast(metric as varchar) as metric,
    cast(value as double) as value,
    cast(source_name as varchar) as source_name,
    cast(source_url as varchar) as source_url,
    cast(confidence as varchar) as confidence,
    cast(preferred as boolean) as is_preferred,
    cast(note as varchar) as note
from {{ ref('curated_accelerator_specs') }}
