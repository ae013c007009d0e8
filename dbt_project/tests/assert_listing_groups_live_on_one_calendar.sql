-- A listing group is tested as one portfolio whose members share t0 and whose returns are averaged date by date:
-- every member must trade on the same calendar against the same benchmark, and no ETF, index or benchmark may be a
-- member (a fund of the members would count them twice).
select group_id, 'members on more than one calendar or benchmark' as problem
from {{ ref('dim_listing_groups') }}
group by group_id
having count(distinct trading_calendar) > 1 or count(distinct benchmark_symbol) > 1

union all

select members.group_id, 'member ' || members.symbol || ' is an ' || listings.instrument_type as problem
from {{ ref('dim_listing_groups') }} as members
inner join {{ ref('stg_curated__listings') }} as listings
    on listings.symbol = members.symbol
where listings.is_benchmark or listings.instrument_type not in ('equity', 'adr')
