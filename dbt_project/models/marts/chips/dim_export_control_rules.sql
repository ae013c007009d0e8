-- The export-control thresholds as data: one row per prong (OR-ed within a rule_version).
select
    cast(rule_version as {{ dbt.type_string() }}) as rule_version,
    cast(rule_name as {{ dbt.type_string() }}) as rule_name,
    cast(prong as {{ dbt.type_string() }}) as prong,
    cast(outcome as {{ dbt.type_string() }}) as outcome,
    cast(applies_to as {{ dbt.type_string() }}) as applies_to,
    tpp_min,
    tpp_below,
    pd_min,
    pd_below,
    io_min_gbps,
    announced_on,
    effective_on,
    is_confirmed,
    cast(source_name as {{ dbt.type_string() }}) as source_name,
    cast(source_url as {{ dbt.type_string() }}) as source_url,
    cast(note as {{ dbt.type_string() }}) as note
from {{ ref('stg_curated__export_control_rules') }}
