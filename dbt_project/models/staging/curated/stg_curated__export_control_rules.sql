-- One row per prong; the prongs of a rule_version are OR-ed. Thresholds left empty do not constrain. A rule is in force
-- from in_force_from (effective, else announced) until in_force_until (superseded or rescinded, the earlier).
with typed as (
    select
        cast(rule_version as {{ dbt.type_string() }}) as rule_version,
        cast(rule_name as {{ dbt.type_string() }}) as rule_name,
        cast(destination as {{ dbt.type_string() }}) as destination,
        cast(prong as {{ dbt.type_string() }}) as prong,
        cast(outcome as {{ dbt.type_string() }}) as outcome,
        cast(applies_to as {{ dbt.type_string() }}) as applies_to,
        cast(tpp_min as double) as tpp_min,
        cast(tpp_below as double) as tpp_below,
        cast(pd_min as double) as pd_min,
        cast(pd_below as double) as pd_below,
        cast(io_min_gbps as double) as io_min_gbps,
        cast(mem_bw_min_gbps as double) as mem_bw_min_gbps,
        cast(total_bw_min_gbps as double) as total_bw_min_gbps,
        cast(mem_bw_density_min as double) as mem_bw_density_min,
        cast(nullif(trim(cast(announced_on as {{ dbt.type_string() }})), '') as date) as announced_on,
        cast(nullif(trim(cast(effective_on as {{ dbt.type_string() }})), '') as date) as effective_on,
        cast(nullif(trim(cast(superseded_on as {{ dbt.type_string() }})), '') as date) as superseded_on,
        cast(nullif(trim(cast(rescinded_on as {{ dbt.type_string() }})), '') as date) as rescinded_on,
        cast(confirmed as boolean) as is_confirmed,
        cast(source_name as {{ dbt.type_string() }}) as source_name,
        cast(source_url as {{ dbt.type_string() }}) as source_url,
        cast(note as {{ dbt.type_string() }}) as note
    from {{ ref('export_control_rules') }}
)

select
    typed.*,
    coalesce(effective_on, announced_on) as in_force_from,
    least(superseded_on, rescinded_on) as in_force_until
from typed
