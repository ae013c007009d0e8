-- Each chip's status under every rule version in the export_control_rules seed (a new row there re-classifies every
-- chip, no code change). A prong is met when every threshold it sets holds; an empty threshold does not constrain; a
-- missing chip figure leaves the prong unknown (SQL's three-valued logic). Oct-2023 PD prongs apply only to chips
-- designed for datacenters (applies_to = 'datacenter').
with prongs as (
    select
        chips.chip_id,
        rules.rule_version,
        rules.rule_name,
        rules.prong,
        rules.outcome,
        case
            when rules.applies_to = 'datacenter' and chips.designed_for = 'consumer' then false
            else (rules.tpp_min is null or chips.tpp >= rules.tpp_min)
                and (rules.tpp_below is null or chips.tpp < rules.tpp_below)
                and (rules.pd_min is null or chips.performance_density >= rules.pd_min)
                and (rules.pd_below is null or chips.performance_density < rules.pd_below)
                and (rules.io_min_gbps is null or chips.interconnect_gbps >= rules.io_min_gbps)
        end as is_met
    from {{ ref('int_accelerator_specs_resolved') }} as chips
    cross join {{ ref('stg_curated__export_control_rules') }} as rules
)

select
    chip_id,
    rule_version,
    max(rule_name) as rule_name,
    case
        when max(case when is_met and outcome = 'controlled' then 1 else 0 end) = 1 then 'controlled'
        when max(case when is_met then 1 else 0 end) = 1 then max(case when is_met then outcome end)
        when max(case when is_met is null then 1 else 0 end) = 1 then 'unknown'
        else 'not_controlled'
    end as status,
    {{ sorted_string_agg("case when is_met then prong end", "','") }} as prongs_met,
    {{ sorted_string_agg("case when is_met is null then prong end", "','") }} as prongs_unknown
from prongs
group by chip_id, rule_version
