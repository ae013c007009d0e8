-- The export-control thresholds as data: one row per prong (OR-ed within a rule_version).
select
    cast(rule_version as varchar) as rule_version,
    cast(rule_name as varchar) as rule_name,
    cast(prong as varchar) as prong,
    cast(outcome as varchar) as outcome,
    cast(applies_to as varchar) as applies_to,
    tpp_min,
    tpp_below,
    pd_min,
    pd_below,
    io_min_gbps,
    announced_on,
    effective_on,
    is_confirmed,
    cast(source_name as varchar) as source_name,
    cast(source_url as varchar) as source_url,
    cast(note as varchar) as note
from {{ ref('stg_curated__export_control_rules') }}
