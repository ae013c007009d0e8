-- Did more China exposure mean a larger fall? Each listing's CAR on each event and window beside its China revenue
-- share in the last fiscal year that ended before the news (what investors knew then). A listing with no usable
-- exposure figure for that date keeps its CAR with a null share and the reason.
with exposure as (
    select * from {{ ref('fct_listing_china_exposure') }}
),

reactions as (
    select
        returns.event_id,
        events.category as event_category,
        events.announced_on,
        returns.symbol,
        returns.window_start,
        returns.window_end,
        returns.car,
        returns.t_stat
    from {{ ref('fct_event_returns', v=2) }} as returns
    inner join {{ ref('stg_curated__events') }} as events
        on events.event_id = returns.event_id
    where returns.model = 'market_model'
),

latest_year as (
    select
        reactions.event_id,
        reactions.symbol,
        max(exposure.fiscal_year_end) as fiscal_year_end
    from reactions
    inner join exposure
        on exposure.symbol = reactions.symbol
        and exposure.fiscal_year_end < reactions.announced_on
    group by reactions.event_id, reactions.symbol
)

select
    cast(reactions.event_id as {{ dbt.type_string() }}) as event_id,
    cast(reactions.event_category as {{ dbt.type_string() }}) as event_category,
    cast(reactions.symbol as {{ dbt.type_string() }}) as symbol,
    cast(reactions.window_start as integer) as window_start,
    cast(reactions.window_end as integer) as window_end,
    reactions.car,
    reactions.t_stat,
    exposure.fiscal_year as exposure_fiscal_year,
    exposure.fiscal_year_end as exposure_fiscal_year_end,
    exposure.china_revenue_share,
    cast(case
        when latest_year.fiscal_year_end is null then 'no China revenue figure for a fiscal year ended before the event'
        else exposure.china_revenue_share_null_reason
    end as {{ dbt.type_string() }}) as china_revenue_share_null_reason,
    cast(exposure.china_definition as {{ dbt.type_string() }}) as china_definition,
    cast(exposure.confidence as {{ dbt.type_string() }}) as exposure_confidence
from reactions
left join latest_year
    on latest_year.event_id = reactions.event_id
    and latest_year.symbol = reactions.symbol
left join exposure
    on exposure.symbol = reactions.symbol
    and exposure.fiscal_year_end = latest_year.fiscal_year_end
