-- Per (event, listing, window of seed event_windows): the listing's own news (seed company_news) whose first
-- reaction may fall inside the window (int_company_news_reactions, in the listing's event time), as
-- "YYYY-MM-DD news_type: headline", sorted, separated by " | ".
with news_relative as (
    select
        anchored.event_id,
        anchored.symbol,
        news.news_label,
        news.first_session_index - anchored.t0_index as first_relative_day,
        news.last_session_index - anchored.t0_index as last_relative_day
    from {{ ref('int_event_listings_anchored') }} as anchored
    inner join {{ ref('int_company_news_reactions') }} as news
        on news.symbol = anchored.symbol
    where anchored.t0_index is not null
)

select
    news_relative.event_id,
    news_relative.symbol,
    windows.window_start,
    windows.window_end,
    {{ sorted_string_agg("news_relative.news_label", "' | '") }} as confounded_by
from news_relative
inner join {{ ref('event_windows') }} as windows
    on news_relative.first_relative_day <= windows.window_end
    and news_relative.last_relative_day >= windows.window_start
group by news_relative.event_id, news_relative.symbol, windows.window_start, windows.window_end
