-- Each claim test's value now beside its threshold, and the verdict that follows, one row per claim, test and
-- subject (a rule event, a listing on a rule event, or the test as a whole). The rule is data (seed claim_tests):
-- supported when the value passes the comparison (and, where a p-value bound is set, p is at or under it), not
-- supported otherwise, not enough data when the value is null. A warehouse built from the synthetic sample gives no
-- verdict as evidence: its verdict says so, and verdict_on_data keeps what the rule gives on those made-up data.
with tests as (
    select * from {{ ref('stg_curated__claim_tests') }}
),

judged as (
    select
        tests.claim_id,
        tests.test_id,
        tests.test_order,
        tests.description,
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
        tests.max_p_value is null or values_now.p_value <= tests.max_p_value as passes_p_value
    from tests
    left join {{ ref('int_claim_test_values') }} as values_now
        on values_now.test_id = tests.test_id
),

verdicts as (
    select
        *,
        case
            when value is null then 'not enough data'
            when passes_comparison and coalesce(passes_p_value, false) then 'supported'
            else 'not supported'
        end as verdict_on_data,
        case
            when value is null then coalesce(null_reason, 'no value')
            when passes_comparison and coalesce(passes_p_value, false) then 'the value passes the test'
            when passes_comparison and p_value is null then 'right direction, but no p-value to judge it by'
            when passes_comparison then 'right direction, but not significant at the bound'
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
