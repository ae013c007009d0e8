-- One row per accelerator: every chip in Epoch's dataset plus the curated ones, with resolved specs, TPP and
-- performance density, the status under each rule version, and where each value came from.
with statuses as (
    select
        chip_id,
        {{ sorted_string_agg(dbt.concat(["rule_version", "'='", "status"]), "'; '") }} as rule_statuses
    from {{ ref('int_accelerators_classified') }}
    group by chip_id
)

select
    cast(chips.chip_id as {{ dbt.type_string() }}) as chip_id,
    cast(chips.chip_name as {{ dbt.type_string() }}) as chip_name,
    cast(chips.vendor as {{ dbt.type_string() }}) as vendor,
    cast(chips.hq_country_iso3 as {{ dbt.type_string() }}) as hq_country_iso3,
    chips.release_date,
    cast(chips.release_date_origin as {{ dbt.type_string() }}) as release_date_origin,
    cast(chips.memory_type as {{ dbt.type_string() }}) as memory_type,
    cast(chips.designed_for as {{ dbt.type_string() }}) as designed_for,
    chips.in_epoch,
    chips.is_curated,
    round(chips.dense_bf16_tflops, 6) as dense_bf16_tflops,
    round(chips.fp8_tflops, 6) as fp8_tflops,
    round(chips.int8_tops, 6) as int8_tops,
    round(chips.memory_gb, 6) as memory_gb,
    round(chips.memory_bandwidth_tbps, 6) as memory_bandwidth_tbps,
    round(chips.interconnect_gbps, 6) as interconnect_gbps,
    round(chips.tdp_w, 6) as tdp_w,
    round(chips.die_area_mm2, 6) as die_area_mm2,
    round(chips.tpp, 6) as tpp,
    round(chips.performance_density, 6) as performance_density,
    cast(statuses.rule_statuses as {{ dbt.type_string() }}) as rule_statuses,
    cast(chips.value_sources as {{ dbt.type_string() }}) as value_sources,
    cast(chips.spec_exclusions as {{ dbt.type_string() }}) as spec_exclusions,
    cast(chips.spec_warnings as {{ dbt.type_string() }}) as spec_warnings,
    cast(chips.epoch_hardware_name as {{ dbt.type_string() }}) as epoch_hardware_name
from {{ ref('int_accelerator_specs_resolved') }} as chips
left join statuses on statuses.chip_id = chips.chip_id
