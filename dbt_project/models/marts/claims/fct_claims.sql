-- One verdict per claim of the story (seed story_claims) from its tests' evidence rows (fct_claim_evidence). Rows
-- that decide are those supported, not supported or contradicted; a spec-based bound (consistent with a ceiling, not
-- testable from specs) and a row without data do not decide; context is never counted. In order:
--   not testable      no row decides (the reason names the bounds and context there are);
--   contradicted      some row is contradicted and none supports;
--   mixed             some rows support and others do not or are contradicted (e.g. a result that depends on the model);
--   supported         every row supports: each has data and none is only a bound;
--   partly supported  the rows that decide all support, but others lack data or only bound the claim;
--   not supported     no row supports.
-- On the synthetic sample, not evidence. The reason tallies, per test, the supporting rows out of those that decide.
with evidence as (
    select * from {{ ref('fct_claim_evidence') }}
),

per_test as (
    select
        claim_id,
        test_id,
        count(*) as evidence_rows,
        sum(case when verdict_on_data = 'supported' then 1 else 0 end) as supported_rows,
        sum(case when verdict_on_data = 'not supported' then 1 else 0 end) as not_supported_rows,
        sum(case when verdict_on_data = 'contradicted' then 1 else 0 end) as contradicted_rows,
        sum(case when verdict_on_data in ('consistent with a ceiling', 'not testable from specs') then 1 else 0 end) as bound_rows,
        sum(case when verdict_on_data = 'not enough data' then 1 else 0 end) as no_data_rows,
        sum(case when verdict_on_data = 'context (not counted)' then 1 else 0 end) as context_rows
    from evidence
    group by claim_id, test_id
),

counted as (
    select
        claim_id,
        sum(evidence_rows) as evidence_rows,
        sum(supported_rows) as supported_rows,
        sum(not_supported_rows) as not_supported_rows,
        sum(contradicted_rows) as contradicted_rows,
        sum(bound_rows) as bound_rows,
        sum(no_data_rows) as no_data_rows,
        sum(context_rows) as context_rows,
        {{ sorted_string_agg(dbt.concat([
            "test_id", "' '", "cast(supported_rows as " ~ dbt.type_string() ~ ")", "'/'",
            "cast(supported_rows + not_supported_rows + contradicted_rows as " ~ dbt.type_string() ~ ")"]), "', '") }} as tests_tally
    from per_test
    group by claim_id
),

judged as (
    select
        claims.*,
        coalesce(counted.evidence_rows, 0) as evidence_rows,
        coalesce(counted.supported_rows, 0) as supported_rows,
        coalesce(counted.not_supported_rows, 0) as not_supported_rows,
        coalesce(counted.contradicted_rows, 0) as contradicted_rows,
        coalesce(counted.bound_rows, 0) as bound_rows,
        coalesce(counted.no_data_rows, 0) as no_data_rows,
        coalesce(counted.context_rows, 0) as context_rows,
        counted.tests_tally
    from {{ ref('stg_curated__story_claims') }} as claims
    left join counted on counted.claim_id = claims.claim_id
),

verdicts as (
    select
        *,
        case
            when supported_rows + not_supported_rows + contradicted_rows = 0 then 'not testable'
            when contradicted_rows > 0 and supported_rows = 0 then 'contradicted'
            when supported_rows > 0 and not_supported_rows + contradicted_rows > 0 then 'mixed'
            when supported_rows > 0 and no_data_rows + bound_rows = 0 then 'supported'
            when supported_rows > 0 then 'partly supported'
            else 'not supported'
        end as verdict_on_data
    from judged
)

select
    cast(claim_id as {{ dbt.type_string() }}) as claim_id,
    cast(claim_order as integer) as claim_order,
    cast(wording as {{ dbt.type_string() }}) as wording,
    cast(claimed_by as {{ dbt.type_string() }}) as claimed_by,
    cast('{{ var("source_mode") }}' as {{ dbt.type_string() }}) as source_mode,
    cast(case when '{{ var("source_mode") }}' = 'sample' then 'not evidence (synthetic sample)' else verdict_on_data end
        as {{ dbt.type_string() }}) as verdict,
    cast(verdict_on_data as {{ dbt.type_string() }}) as verdict_on_data,
    cast({{ dbt.concat([
        "cast(supported_rows as " ~ dbt.type_string() ~ ")", "' of '",
        "cast(supported_rows + not_supported_rows + contradicted_rows as " ~ dbt.type_string() ~ ")",
        "' deciding evidence rows support it'",
        "case when tests_tally is not null then " ~ dbt.concat(["' (supporting/deciding per test: '", "tests_tally", "')'"]) ~ " else '' end",
        "case when contradicted_rows > 0 then " ~ dbt.concat(["'; '", "cast(contradicted_rows as " ~ dbt.type_string() ~ ")", "' contradict it'"]) ~ " else '' end",
        "case when bound_rows > 0 then " ~ dbt.concat(["'; '", "cast(bound_rows as " ~ dbt.type_string() ~ ")", "' only a spec-based bound (cannot confirm a measured figure)'"]) ~ " else '' end",
        "case when no_data_rows > 0 then " ~ dbt.concat(["'; '", "cast(no_data_rows as " ~ dbt.type_string() ~ ")", "' without data'"]) ~ " else '' end",
        "case when context_rows > 0 then " ~ dbt.concat(["'; '", "cast(context_rows as " ~ dbt.type_string() ~ ")", "' context only (not the metric the claim names)'"]) ~ " else '' end",
        "case when '" ~ var('source_mode') ~ "' = 'sample' then '; built from the synthetic sample: not evidence' else '' end"
    ]) }} as {{ dbt.type_string() }}) as verdict_reason,
    cast(evidence_rows as integer) as evidence_rows,
    cast(supported_rows as integer) as supported_rows,
    cast(not_supported_rows as integer) as not_supported_rows,
    cast(contradicted_rows as integer) as contradicted_rows,
    cast(bound_rows as integer) as bound_rows,
    cast(no_data_rows as integer) as no_data_rows,
    cast(context_rows as integer) as context_rows,
    cast(source_name as {{ dbt.type_string() }}) as source_name,
    cast(source_url as {{ dbt.type_string() }}) as source_url,
    cast(confidence as {{ dbt.type_string() }}) as confidence,
    cast(note as {{ dbt.type_string() }}) as note
from verdicts
