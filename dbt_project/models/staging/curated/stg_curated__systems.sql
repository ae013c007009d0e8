select
    cast(system_id as varchar) as system_id,
    cast(system_name as varchar) as system_name,
    cast(vendor as varchar) as vendor,
    cast(chip_id as varchar) as chip_id,
    cast(chips_per_system as integer) as chips_per_system,
    cast(reported_dense_bf16_pflops as double) as reported_dense_bf16_pflops,
    cast(reported_hbm_tb as double) as reported_hbm_tb,
    cast(reported_hbm_bandwidth_tbps as double) as reported_hbm_bandwidth_tbps,
    cast(reported_power_kw as double) as reported_power_kw,
    cast(source_name as varchar) as source_name,
    cast(source_url as varchar) as source_url,
    cast(confidence as varchar) as confidence,
    cast(note as varchar) as note
from {{ ref('curated_systems') }}
