-- Each news item of seed company_news with the listing's bars that may be its first reaction: the listing's first bar
-- on a session closing after the release (a listing suspended that day reacts on its next bar); when the release
-- time is known only roughly (stg_curated__company_news), the first bar after its earliest and the first after its
-- latest possible instant, and every bar between. news_label reads "YYYY-MM-DD news_type: headline".
with bars as (
    select bars.symbol, bars.trade_date, bars.session_index, sessions.close_at
    from {{ ref('int_daily_returns_indexed') }} as bars
    inner join {{ ref('stg_curated__listings') }} as listings
        on listings.symbol = bars.symbol
    inner join {{ ref('stg_calendars__sessions') }} as sessions
        on sessions.trading_calendar = listings.trading_calendar
        and sessions.session_date = bars.trade_date
    where bars.symbol in (select symbol from {{ ref('stg_curated__company_news') }})
),

reactions as (
    select
        news.symbol,
        news.news_date,
        news.news_type,
        news.headline,
        min(case when bars.close_at > news.released_earliest_at then bars.session_index end) as first_session_index,
        min(case when bars.close_at > news.released_latest_at then bars.session_index end) as last_session_index
    from {{ ref('stg_curated__company_news') }} as news
    inner join bars
        on bars.symbol = news.symbol
        and bars.close_at > news.released_earliest_at
    group by news.symbol, news.news_date, news.news_type, news.headline
)

select
    reactions.symbol,
    reactions.news_date,
    cast({{ dbt.concat(["cast(reactions.news_date as " ~ dbt.type_string() ~ ")", "' '", "reactions.news_type", "': '",
                        "reactions.headline"]) }} as {{ dbt.type_string() }}) as news_label,
    reactions.first_session_index,
    first_bar.trade_date as first_reaction_date,
    coalesce(reactions.last_session_index, reactions.first_session_index) as last_session_index,
    coalesce(last_bar.trade_date, first_bar.trade_date) as last_reaction_date
from reactions
inner join {{ ref('int_daily_returns_indexed') }} as first_bar
    on first_bar.symbol = reactions.symbol and first_bar.session_index = reactions.first_session_index
left join {{ ref('int_daily_returns_indexed') }} as last_bar
    on last_bar.symbol = reactions.symbol and last_bar.session_index = reactions.last_session_index
