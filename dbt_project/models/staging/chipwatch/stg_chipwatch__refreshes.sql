select
    cast(refresh_id as {{ dbt.type_string() }}) as refresh_id,
    cast(source as {{ dbt.type_string() }}) as source,
    cast(dataset as {{ dbt.type_string() }}) as dataset,
    cast(source_mode as {{ dbt.type_string() }}) as source_mode,
    cast(is_synthetic as boolean) as is_synthetic,
    started_at,
    finished_at,
    cast(landed as boolean) as landed,
    cast(rows_stored as bigint) as rows_stored,
    cast(items_requested as integer) as items_requested,
    cast(items_failed as integer) as items_failed,
    cast(failed_items as {{ dbt.type_string() }}) as failed_items,
    cast(failure_messages as {{ dbt.type_string() }}) as failure_messages,
    cast(error as {{ dbt.type_string() }}) as error,
    cast(chipwatch_version as {{ dbt.type_string() }}) as chipwatch_version
from {{ source('chipwatch', 'refreshes') }}
