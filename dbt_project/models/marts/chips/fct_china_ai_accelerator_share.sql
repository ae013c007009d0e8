-- Published estimates of Chinese vendors' share of China's AI-accelerator market (seed
-- china_ai_accelerator_share_estimates), one row per estimate, with the change since the previous estimate of the same
-- series (same publisher and basis, actuals only): estimates of different bases (units, value, AI-server chips) are
-- never differenced against each other.
with estimates as (
    select
        estimates.*,
        {{ dbt.concat(["case when estimates.publisher like 'IDC%' then 'IDC' when estimates.publisher like 'Bernstein%' then 'Bernstein' when estimates.publisher like 'Morgan Stanley%' then 'Morgan Stanley' when estimates.publisher like 'TrendForce%' then 'TrendForce' else estimates.publisher end", "' / '", "estimates.period_basis"]) }} as series
    from {{ ref('stg_curated__china_ai_accelerator_share_estimates') }} as estimates
),

actuals as (
    select
        estimate_id,
        lag(domestic_vendors_share) over (partition by series order by period_end) as previous_domestic_vendors_share,
        lag(period) over (partition by series order by period_end) as previous_period
    from estimates
    where not is_forecast and domestic_vendors_share is not null
)

select
    cast(estimates.estimate_id as {{ dbt.type_string() }}) as estimate_id,
    cast(estimates.series as {{ dbt.type_string() }}) as series,
    cast(estimates.publisher as {{ dbt.type_string() }}) as publisher,
    estimates.published_on,
    cast(estimates.period as {{ dbt.type_string() }}) as period,
    estimates.period_end,
    cast(estimates.period_basis as {{ dbt.type_string() }}) as period_basis,
    estimates.is_forecast,
    cast(estimates.metric as {{ dbt.type_string() }}) as metric,
    estimates.domestic_vendors_share,
    estimates.nvidia_share,
    estimates.huawei_share,
    cast(estimates.share_qualifier as {{ dbt.type_string() }}) as share_qualifier,
    cast(actuals.previous_period as {{ dbt.type_string() }}) as previous_period_in_series,
    estimates.domestic_vendors_share - actuals.previous_domestic_vendors_share as domestic_share_change_since_previous,
    cast(case
        when estimates.domestic_vendors_share is null then 'the estimate states no domestic share'
        when estimates.is_forecast then 'a forecast: not compared with actuals'
        when actuals.previous_domestic_vendors_share is null then 'no earlier estimate of the same series'
    end as {{ dbt.type_string() }}) as change_null_reason,
    cast(estimates.confidence as {{ dbt.type_string() }}) as confidence,
    cast(estimates.source_name as {{ dbt.type_string() }}) as source_name,
    cast(estimates.source_url as {{ dbt.type_string() }}) as source_url,
    cast(estimates.note as {{ dbt.type_string() }}) as note
from estimates
left join actuals on actuals.estimate_id = estimates.estimate_id
