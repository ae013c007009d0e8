select
    cast(refresh_id as {{ dbt.type_string() }}) as refresh_id,
    started_at,
    cast(source_mode as {{ dbt.type_string() }}) as source_mode,
    cast(is_synthetic as boolean) as is_synthetic,
    cast(items_requested as integer) as items_requested,
    cast(items_landed as integer) as items_landed,
    cast(items_failed as integer) as items_failed,
    cast(failed_items as {{ dbt.type_string() }}) as failed_items,
    cast(failure_messages as {{ dbt.type_string() }}) as failure_messages,
    cast(chipwatch_version as {{ dbt.type_string() }}) as chipwatch_version
from {{ source('chipwatch', 'refreshes') }}
