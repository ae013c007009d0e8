-- Per (event, listing, window of seed event_windows): the listing's own news (seed company_news) whose first
-- reaction session may fall inside the window, as "YYYY-MM-DD news_type: headline", sorted, separated by " | ". A
-- news item's first reaction session is the listing's first bar on a session closing after its release; when the
-- release time is known only roughly (stg_curated__company_news), every session from the earliest to the latest such
-- session counts.
-- each news item's possible first reaction, as the listing's own bars count sessions (a listing suspended that day
-- reacts on its next bar)
with bars as (
    select bars.symbol, bars.session_index, sessions.close_at
    from {{ ref('int_daily_returns_indexed') }} as bars
    inner join {{ ref('stg_curated__listings') }} as listings
        on listings.symbol = bars.symbol
    inner join {{ ref('stg_calendars__sessions') }} as sessions
        on sessions.trading_calendar = listings.trading_calendar
        and sessions.session_date = bars.trade_date
    where bars.symbol in (select symbol from {{ ref('stg_curated__company_news') }})
),

news_sessions as (
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
),

news_relative as (
    select
        anchored.event_id,
        anchored.symbol,
        news_sessions.news_date,
        news_sessions.news_type,
        news_sessions.headline,
        news_sessions.first_session_index - anchored.t0_index as first_relative_day,
        coalesce(news_sessions.last_session_index, news_sessions.first_session_index) - anchored.t0_index
            as last_relative_day
    from {{ ref('int_event_listings_anchored') }} as anchored
    inner join news_sessions
        on news_sessions.symbol = anchored.symbol
    where anchored.t0_index is not null
)

select
    news_relative.event_id,
    news_relative.symbol,
    windows.window_start,
    windows.window_end,
    {{ sorted_string_agg(dbt.concat(["cast(news_relative.news_date as " ~ dbt.type_string() ~ ")", "' '",
                                     "news_relative.news_type", "': '", "news_relative.headline"]), "' | '") }}
        as confounded_by
from news_relative
inner join {{ ref('event_windows') }} as windows
    on news_relative.first_relative_day <= windows.window_end
    and news_relative.last_relative_day >= windows.window_start
group by news_relative.event_id, news_relative.symbol, windows.window_start, windows.window_end
