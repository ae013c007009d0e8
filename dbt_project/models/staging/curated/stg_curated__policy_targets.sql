select
    cast(target_id as varchar) as target_id,
    cast(target_name as varchar) as target_name,
    cast(metric as varchar) as metric,
    cast(target_value as double) as target_value,
    cast(target_year as integer) as target_year,
    cast(nullif(trim(cast(set_on as varchar)), '') as date) as set_on,
    cast(set_by as varchar) as set_by,
    cast(confirmed as boolean) as is_confirmed,
    cast(source_name as varchar) as source_name,
    cast(source_url as varchar) as source_url,
    cast(note as varchar) as note
from {{ ref('policy_targets') }}
