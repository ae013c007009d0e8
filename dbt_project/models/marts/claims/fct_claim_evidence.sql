-- Each claim test's value now beside its threshold, and the verdict that follows, one row per claim, test and
-- subject (a portfolio or listing under one model, or the test as a whole). The rule is data (seed claim_tests) and
-- depends on the kind of evidence:
--   statistical: supported when the value passes the comparison and p (a q-value for pooled tests) is at or under
--     max_p_value; contradicted when it is significant the other way; not supported otherwise;
--   point_estimate, direction: supported when the value passes the comparison, not supported otherwise;
--   bound (a spec-based ceiling): consistent with a ceiling when it passes (it cannot confirm a measured figure),
--     contradicted when it misses the threshold by more than the tolerance (the specs rule the figure out), not
--     testable from specs in between;
--   context: shown, never counted.
-- Not enough data when the value is null. A warehouse built from the synthetic sample gives no verdict as evidence:
-- its verdict says so, and verdict_on_data keeps what the rule gives on those made-up data.
with tests as (
    select * from {{ ref('stg_curated__claim_tests') }}
),

judged as (
    select
        tests.claim_id,
        tests.test_id,
        tests.test_order,
        tests.description,
        tests.claim_part,
        tests.evidence_kind,
        tests.mart,
        tests.metric,
        tests.metric_unit,
        values_now.subject,
        values_now.value,
        values_now.p_value,
        tests.comparison,
        tests.threshold,
        tests.tolerance,
        tests.max_p_value,
        values_now.as_of_date,
        values_now.evidence_keys,
        values_now.null_reason,
        tests.threshold_source,
        case tests.comparison
            when 'lt' then values_now.value < tests.threshold
            when 'le' then values_now.value <= tests.threshold
            when 'gt' then values_now.value > tests.threshold
            when 'ge' then values_now.value >= tests.threshold
            when 'within' then abs(values_now.value - tests.threshold) <= tests.tolerance
        end as passes_comparison,
        tests.max_p_value is null or values_now.p_value <= tests.max_p_value as passes_p_value,
        case tests.comparison
            when 'lt' then values_now.value > tests.threshold
            when 'le' then values_now.value > tests.threshold
            when 'gt' then values_now.value < tests.threshold
            when 'ge' then values_now.value < tests.threshold
            else false
        end as other_way,
        case tests.comparison
            when 'ge' then tests.threshold - values_now.value > coalesce(tests.tolerance, 0)
            when 'gt' then tests.threshold - values_now.value > coalesce(tests.tolerance, 0)
            when 'le' then values_now.value - tests.threshold > coalesce(tests.tolerance, 0)
            when 'lt' then values_now.value - tests.threshold > coalesce(tests.tolerance, 0)
            else abs(values_now.value - tests.threshold) > coalesce(tests.tolerance, 0)
        end as misses_by_more_than_tolerance
    from tests
    left join {{ ref('int_claim_test_values') }} as values_now
        on values_now.test_id = tests.test_id
),

verdicts as (
    select
        *,
        case
            when evidence_kind = 'context' then 'context (not counted)'
            when value is null then 'not enough data'
            when evidence_kind = 'statistical' and passes_comparison and coalesce(passes_p_value, false) then 'supported'
            when evidence_kind = 'statistical' and other_way and coalesce(passes_p_value, false) then 'contradicted'
            when evidence_kind = 'statistical' then 'not supported'
            when evidence_kind = 'bound' and passes_comparison then 'consistent with a ceiling'
            when evidence_kind = 'bound' and misses_by_more_than_tolerance then 'contradicted'
            when evidence_kind = 'bound' then 'not testable from specs'
            when passes_comparison then 'supported'
            else 'not supported'
        end as verdict_on_data,
        case
            when evidence_kind = 'context' and value is null then {{ dbt.concat(["'context, not counted: '", "coalesce(null_reason, 'no value')"]) }}
            when evidence_kind = 'context' and passes_comparison then 'context, not counted: the value would pass the comparison'
            when evidence_kind = 'context' then 'context, not counted: the value would fail the comparison'
            when value is null then coalesce(null_reason, 'no value')
            when evidence_kind = 'statistical' and passes_comparison and coalesce(passes_p_value, false) then 'the claimed direction, significant at the bound'
            when evidence_kind = 'statistical' and other_way and coalesce(passes_p_value, false) then 'significant the other way'
            when evidence_kind = 'statistical' and passes_comparison and p_value is null then {{ dbt.concat(["'the claimed direction, but no p- or q-value to judge it by: '", "coalesce(null_reason, 'none')"]) }}
            when evidence_kind = 'statistical' and passes_comparison then 'the claimed direction, but not significant at the bound'
            when evidence_kind = 'statistical' then 'the other direction, not significant'
            when evidence_kind = 'bound' and passes_comparison then 'a spec-based ceiling at or above the claimed figure: consistent with it, cannot confirm it'
            when evidence_kind = 'bound' and misses_by_more_than_tolerance then 'a spec-based ceiling below the claimed figure by more than the tolerance: the specs rule it out'
            when evidence_kind = 'bound' then 'a spec-based ceiling just under the claimed figure, within the tolerance: too close to call from specs'
            when passes_comparison then 'the value passes the test'
            else 'the value fails the comparison'
        end as verdict_reason
    from judged
)

select
    cast(claim_id as {{ dbt.type_string() }}) as claim_id,
    cast(test_id as {{ dbt.type_string() }}) as test_id,
    cast(test_order as integer) as test_order,
    cast(subject as {{ dbt.type_string() }}) as subject,
    cast(description as {{ dbt.type_string() }}) as description,
    cast(claim_part as {{ dbt.type_string() }}) as claim_part,
    cast(evidence_kind as {{ dbt.type_string() }}) as evidence_kind,
    cast(mart as {{ dbt.type_string() }}) as mart,
    cast(metric as {{ dbt.type_string() }}) as metric,
    cast(metric_unit as {{ dbt.type_string() }}) as metric_unit,
    value,
    p_value,
    cast(comparison as {{ dbt.type_string() }}) as comparison,
    threshold,
    tolerance,
    max_p_value,
    as_of_date,
    cast('{{ var("source_mode") }}' as {{ dbt.type_string() }}) as source_mode,
    cast(case when '{{ var("source_mode") }}' = 'sample' then 'not evidence (synthetic sample)' else verdict_on_data end
        as {{ dbt.type_string() }}) as verdict,
    cast(verdict_on_data as {{ dbt.type_string() }}) as verdict_on_data,
    cast(verdict_reason as {{ dbt.type_string() }}) as verdict_reason,
    cast(evidence_keys as {{ dbt.type_string() }}) as evidence_keys,
    cast(threshold_source as {{ dbt.type_string() }}) as threshold_source
from verdicts
