-- Rack-scale systems: chips per system x per-chip specs (dim_accelerators) against the system totals as reported.
select
    cast(systems.system_id as {{ dbt.type_string() }}) as system_id,
    cast(systems.system_name as {{ dbt.type_string() }}) as system_name,
    cast(systems.vendor as {{ dbt.type_string() }}) as vendor,
    cast(systems.chip_id as {{ dbt.type_string() }}) as chip_id,
    cast(systems.chips_per_system as integer) as chips_per_system,
    round(systems.chips_per_system * chips.dense_bf16_tflops / 1000, 6) as computed_dense_bf16_pflops,
    systems.reported_dense_bf16_pflops,
    round(systems.chips_per_system * chips.memory_gb / 1000, 6) as computed_hbm_tb,
    systems.reported_hbm_tb,
    round(systems.chips_per_system * chips.memory_bandwidth_tbps, 6) as computed_hbm_bandwidth_tbps,
    systems.reported_hbm_bandwidth_tbps,
    round(systems.chips_per_system * chips.tdp_w / 1000, 6) as computed_chip_power_kw,
    systems.reported_power_kw,
    cast(systems.source_name as {{ dbt.type_string() }}) as source_name,
    cast(systems.source_url as {{ dbt.type_string() }}) as source_url,
    cast(systems.confidence as {{ dbt.type_string() }}) as confidence,
    cast(systems.note as {{ dbt.type_string() }}) as note
from {{ ref('stg_curated__systems') }} as systems
left join {{ ref('int_accelerator_specs_resolved') }} as chips
    on chips.chip_id = systems.chip_id
