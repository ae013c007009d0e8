-- Every published training-vs-inference estimate by the year it describes, its training share (1 - inference),
-- a consensus per year over the compute-scope estimates that give a share, and a flag where estimates for the same
-- year and scope differ by more than var('demand_mix_disagreement') (15 points).
with estimates as (
    select * from {{ ref('stg_curated__demand_mix_estimates') }}
),

consensus as (
    select
        year_described,
        avg(inference_share) as consensus_inference_share,
        count(*) as consensus_estimates
    from estimates
    where scope = 'compute' and inference_share is not null
    group by year_described
),

spread as (
    select
        year_described,
        scope,
        max(inference_share) - min(inference_share) as share_spread
    from estimates
    where inference_share is not null
    group by year_described, scope
)

select
    cast(estimates.year_described as integer) as year,
    cast(estimates.estimate_id as {{ dbt.type_string() }}) as estimate_id,
    cast(estimates.source_name as {{ dbt.type_string() }}) as source_name,
    estimates.published_on,
    cast(estimates.scope as {{ dbt.type_string() }}) as scope,
    estimates.inference_share,
    round(1 - estimates.inference_share, 12) as training_share,
    cast(estimates.share_qualifier as {{ dbt.type_string() }}) as share_qualifier,
    estimates.is_forecast,
    round(consensus.consensus_inference_share, 12) as consensus_inference_share,
    cast(coalesce(consensus.consensus_estimates, 0) as integer) as consensus_estimates,
    coalesce(spread.share_spread > {{ var('demand_mix_disagreement') }}, false) as estimates_disagree,
    cast(estimates.source_url as {{ dbt.type_string() }}) as source_url,
    cast(estimates.confidence as {{ dbt.type_string() }}) as confidence,
    cast(estimates.note as {{ dbt.type_string() }}) as note
from estimates
left join consensus on consensus.year_described = estimates.year_described
left join spread on spread.year_described = estimates.year_described and spread.scope = estimates.scope
