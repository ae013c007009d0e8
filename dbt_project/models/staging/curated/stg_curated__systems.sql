select
    cast(system_id as {{ dbt.type_string() }}) as system_id,
    cast(system_name as {{ dbt.type_string() }}) as system_name,
    cast(vendor as {{ dbt.type_string() }}) as vendor,
    cast(chip_id as {{ dbt.type_string() }}) as chip_id,
    cast(chips_per_system as integer) as chips_per_system,
    cast(reported_dense_bf16_pflops as double) as reported_dense_bf16_pflops,
    cast(reported_hbm_tb as double) as reported_hbm_tb,
    cast(reported_hbm_bandwidth_tbps as double) as reported_hbm_bandwidth_tbps,
    cast(reported_power_kw as double) as reported_power_kw,
    cast(source_name as {{ dbt.type_string() }}) as source_name,
    cast(source_url as {{ dbt.type_string() }}) as source_url,
    cast(confidence as {{ dbt.type_string() }}) as confidence,
    cast(note as {{ dbt.type_string() }}) as note
from {{ ref('curated_systems') }}
