-- One row per prong; the prongs of a rule_version are OR-ed. Thresholds left empty do not constrain.
select
    cast(rule_version as varchar) as rule_version,
    cast(rule_name as varchar) as rule_name,
    cast(prong as varchar) as prong,
    cast(outcome as varchar) as outcome,
    cast(applies_to as varchar) as applies_to,
    cast(tpp_min as double) as tpp_min,
    cast(tpp_below as double) as tpp_below,
    cast(pd_min as double) as pd_min,
    cast(pd_below as double) as pd_below,
    cast(io_min_gbps as double) as io_min_gbps,
    cast(nullif(trim(cast(announced_on as varchar)), '') as date) as announced_on,
    cast(nullif(trim(cast(effective_on as varchar)), '') as date) as effective_on,
    cast(nullif(trim(cast(rescinded_on as varchar)), '') as date) as rescinded_on,
    cast(confirmed as boolean) as is_confirmed,
    cast(source_name as varchar) as source_name,
    cast(source_url as varchar) as source_url,
    cast(note as varchar) as note
from {{ ref('export_control_rules') }}
