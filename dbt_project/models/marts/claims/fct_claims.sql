-- One verdict per claim of the story (seed story_claims) from its tests' evidence (fct_claim_evidence): supported
-- when every test row with data supports it, not supported when none does, mixed otherwise, not enough data when no
-- row has data; on the synthetic sample, not evidence. The reason tallies, per test, the rows that support the claim
-- out of those with data.
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
        sum(case when verdict_on_data = 'not enough data' then 1 else 0 end) as no_data_rows
    from evidence
    group by claim_id, test_id
),

counted as (
    select
        claim_id,
        sum(evidence_rows) as evidence_rows,
        sum(supported_rows) as supported_rows,
        sum(not_supported_rows) as not_supported_rows,
        sum(no_data_rows) as no_data_rows,
        {{ sorted_string_agg(dbt.concat([
            "test_id", "' '", "cast(supported_rows as " ~ dbt.type_string() ~ ")", "'/'",
            "cast(supported_rows + not_supported_rows as " ~ dbt.type_string() ~ ")"]), "', '") }} as tests_tally
    from per_test
    group by claim_id
),

judged as (
    select
        claims.*,
        coalesce(counted.evidence_rows, 0) as evidence_rows,
        coalesce(counted.supported_rows, 0) as supported_rows,
        coalesce(counted.not_supported_rows, 0) as not_supported_rows,
        coalesce(counted.no_data_rows, 0) as no_data_rows,
        counted.tests_tally,
        case
            when coalesce(counted.supported_rows, 0) + coalesce(counted.not_supported_rows, 0) = 0 then 'not enough data'
            when counted.not_supported_rows = 0 then 'supported'
            when counted.supported_rows = 0 then 'not supported'
            else 'mixed'
        end as verdict_on_data
    from {{ ref('stg_curated__story_claims') }} as claims
    left join counted on counted.claim_id = claims.claim_id
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
        "cast(supported_rows + not_supported_rows as " ~ dbt.type_string() ~ ")",
        "' evidence rows with data support it'",
        "case when tests_tally is not null then " ~ dbt.concat(["' (supporting/with data per test: '", "tests_tally", "')'"]) ~ " else '' end",
        "case when no_data_rows > 0 then " ~ dbt.concat(["'; '", "cast(no_data_rows as " ~ dbt.type_string() ~ ")", "' without data'"]) ~ " else '' end",
        "case when '" ~ var('source_mode') ~ "' = 'sample' then '; built from the synthetic sample: not evidence' else '' end"
    ]) }} as {{ dbt.type_string() }}) as verdict_reason,
    cast(evidence_rows as integer) as evidence_rows,
    cast(supported_rows as integer) as supported_rows,
    cast(not_supported_rows as integer) as not_supported_rows,
    cast(no_data_rows as integer) as no_data_rows,
    cast(source_name as {{ dbt.type_string() }}) as source_name,
    cast(source_url as {{ dbt.type_string() }}) as source_url,
    cast(confidence as {{ dbt.type_string() }}) as confidence,
    cast(note as {{ dbt.type_string() }}) as note
from judged
