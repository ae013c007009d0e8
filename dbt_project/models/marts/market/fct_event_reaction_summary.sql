-- Who lost and who gained: per event, window, market region and segment, how the listings reacted. shares_t0_with
-- names the other events that share t0 on one of the listings (one market move, not two).
with shared_t0 as (
    select pairs_near.event_id, listings.market_region, listings.segment, pairs_near.other_event_id
    from {{ ref('int_event_overlaps') }} as pairs_near
    inner join {{ ref('stg_curated__listings') }} as listings
        on listings.symbol = pairs_near.symbol
    where pairs_near.sessions_apart = 0
    group by pairs_near.event_id, listings.market_region, listings.segment, pairs_near.other_event_id
),

shared_lists as (
    select event_id, market_region, segment, {{ sorted_string_agg("other_event_id", "', '") }} as shares_t0_with
    from shared_t0
    group by event_id, market_region, segment
),

summary as (
select
    cast(returns.event_id as {{ dbt.type_string() }}) as event_id,
    cast(returns.window_start as integer) as window_start,
    cast(returns.window_end as integer) as window_end,
    cast(listings.market_region as {{ dbt.type_string() }}) as market_region,
    cast(listings.segment as {{ dbt.type_string() }}) as segment,
    cast(count(*) as integer) as listings,
    round(avg(returns.car {{ in_order('returns.symbol') }}), 12) as mean_car,
    round({{ median('returns.car') }}, 12) as median_car,
    round(avg(case when returns.car < 0 then cast(1 as double) else cast(0 as double) end {{ in_order('returns.symbol') }}), 12)
        as share_negative,
    cast(sum(case when abs(returns.t_stat) >= 1.96 then 1 else 0 end) as integer) as listings_significant_5pct,
    round(avg(returns.raw_return {{ in_order('returns.symbol') }}), 12) as mean_raw_return
from {{ ref('fct_event_returns', v=2) }} as returns
inner join {{ ref('stg_curated__listings') }} as listings
    on listings.symbol = returns.symbol
where returns.model = 'market_model'
group by returns.event_id, returns.window_start, returns.window_end, listings.market_region, listings.segment
)

select
    summary.*,
    cast(shared_lists.shares_t0_with as {{ dbt.type_string() }}) as shares_t0_with
from summary
left join shared_lists
    on shared_lists.event_id = summary.event_id
    and shared_lists.market_region = summary.market_region
    and shared_lists.segment = summary.segment
