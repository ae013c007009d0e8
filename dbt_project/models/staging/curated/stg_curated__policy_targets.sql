select
    cast(target_id as {{ dbt.type_string() }}) as target_id,
    cast(target_name as {{ dbt.type_string() }}) as target_name,
    cast(metric as {{ dbt.type_string() }}) as metric,
    cast(target_value as double) as target_value,
    cast(target_year as integer) as target_year,
    cast(nullif(trim(cast(set_on as {{ dbt.type_string() }})), '') as date) as set_on,
    cast(set_by as {{ dbt.type_string() }}) as set_by,
    cast(confirmed as boolean) as is_confirmed,
    cast(source_name as {{ dbt.type_string() }}) as source_name,
    cast(source_url as {{ dbt.type_string() }}) as source_url,
    cast(note as {{ dbt.type_string() }}) as note
from {{ ref('policy_targets') }}
