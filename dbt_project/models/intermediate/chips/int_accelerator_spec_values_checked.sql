-- Every candidate spec value with the verdict of the plausibility checks (int_accelerator_spec_checks): the value
-- ranked first is used unless a check finds it impossible ('error'); then the metric is null for that chip, with the
-- reason in excluded_reason. A preferred curated value (precedence 1: a person chose it, with a source) is used even
-- then, so a curated value overrides a check as it overrides Epoch. Suspicious values ('warn') are used and flagged.
with verdicts as (
    select
        chip_id,
        metric,
        {{ sorted_string_agg("case when severity = 'error' then detail end", "'; '") }} as errors,
        {{ sorted_string_agg("case when severity = 'warn' then detail end", "'; '") }} as warnings
    from {{ ref('int_accelerator_spec_checks') }}
    group by chip_id, metric
)

select
    ranked.*,
    ranked.is_first_ranked and (verdicts.errors is null or ranked.precedence = 1) as is_used,
    case when ranked.is_first_ranked and ranked.precedence <> 1 then verdicts.errors end as excluded_reason,
    case when ranked.is_first_ranked then verdicts.warnings end as plausibility_warnings,
    case when ranked.is_first_ranked and ranked.precedence = 1 then verdicts.errors end as overridden_check
from {{ ref('int_accelerator_spec_values_ranked') }} as ranked
left join verdicts
    on verdicts.chip_id = ranked.chip_id
    and verdicts.metric = ranked.metric
