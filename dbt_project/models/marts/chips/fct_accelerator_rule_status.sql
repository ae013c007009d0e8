-- Every chip under every rule version: controlled, license_required, license_band, not_controlled, not_applicable
-- (a rule on HBM stacks) or unknown (a figure it needs is missing), with the prongs met. Add a row to the
-- export_control_rules seed for a what-if. fct_accelerator_status_by_period says which versions were in force when.
select
    cast(classified.chip_id as {{ dbt.type_string() }}) as chip_id,
    cast(classified.rule_version as {{ dbt.type_string() }}) as rule_version,
    cast(classified.rule_name as {{ dbt.type_string() }}) as rule_name,
    cast(classified.status as {{ dbt.type_string() }}) as status,
    cast(classified.prongs_met as {{ dbt.type_string() }}) as prongs_met,
    cast(classified.prongs_unknown as {{ dbt.type_string() }}) as prongs_unknown,
    round(chips.tpp, 6) as tpp,
    round(chips.performance_density, 6) as performance_density,
    round(chips.interconnect_gbps, 6) as interconnect_gbps,
    cast(chips.designed_for as {{ dbt.type_string() }}) as designed_for
from {{ ref('int_accelerators_classified') }} as classified
inner join {{ ref('int_accelerator_specs_resolved') }} as chips
    on chips.chip_id = classified.chip_id
