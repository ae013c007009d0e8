-- One row per (group, member listing): the groups whose reactions fct_event_group_reactions tests as portfolios.
select
    groups.group_id,
    groups.group_label,
    groups.description as group_description,
    members.symbol,
    listings.listing_name,
    listings.trading_calendar,
    listings.market_region,
    listings.segment,
    listings.benchmark_symbol
from {{ ref('stg_curated__listing_groups') }} as groups
inner join {{ ref('stg_curated__listing_group_members') }} as members
    on members.group_id = groups.group_id
inner join {{ ref('stg_curated__listings') }} as listings
    on listings.symbol = members.symbol
