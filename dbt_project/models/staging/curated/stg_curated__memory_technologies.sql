select
    cast(memory_type as {{ dbt.type_string() }}) as memory_type,
    cast(max_gbps_per_device as double) as max_gbps_per_device,
    cast(min_gb_per_device as double) as min_gb_per_device,
    cast(max_devices_per_chip as integer) as max_devices_per_chip,
    cast(device as {{ dbt.type_string() }}) as device,
    cast(source_name as {{ dbt.type_string() }}) as source_name,
    cast(source_url as {{ dbt.type_string() }}) as source_url,
    cast(confidence as {{ dbt.type_string() }}) as confidence
from {{ ref('memory_technologies') }}
