-- Each chip's status under every rule version in the export_control_rules seed (a new row there re-classifies every
-- chip, no code change). A prong is met when every threshold it sets holds (macro export_prong_met); a missing chip
-- figure leaves the prong unknown. Oct-2023 PD prongs apply only to chips designed for datacenters; a rule on HBM
-- stacks (3A090.c) classifies no accelerator: not_applicable.
with prongs as (
    select
        chips.chip_id,
        rules.rule_version,
        rules.rule_name,
        rules.prong,
        rules.outcome,
        rules.applies_to,
        {{ export_prong_met('rules', 'chips') }} as is_met
    from {{ ref('int_accelerator_specs_resolved') }} as chips
    cross join {{ ref('stg_curated__export_control_rules') }} as rules
)

select
    chip_id,
    rule_version,
    max(rule_name) as rule_name,
    case
        when max(case when applies_to <> 'hbm_stack' then 1 else 0 end) = 0 then 'not_applicable'
        when max(case when is_met and outcome = 'controlled' then 1 else 0 end) = 1 then 'controlled'
        when max(case when is_met and outcome = 'license_required' then 1 else 0 end) = 1 then 'license_required'
        when max(case when is_met then 1 else 0 end) = 1 then max(case when is_met then outcome end)
        when max(case when is_met is null then 1 else 0 end) = 1 then 'unknown'
        else 'not_controlled'
    end as status,
    {{ sorted_string_agg("case when is_met then prong end", "','") }} as prongs_met,
    {{ sorted_string_agg("case when is_met is null then prong end", "','") }} as prongs_unknown
from prongs
group by chip_id, rule_version
