-- Company-specific news per listing (seed company_news), with the span of instants it may have been released in:
-- the time of day when the source gives it; before the open: from midnight to 09:00 local; after the close: from
-- the close (15:00 in Shanghai, 16:00 in New York) to the end of the day; not known: the whole day.
-- fct_event_returns_v2.confounded_by names the news whose first reaction session may fall in an event window.
with typed as (
    select
        cast(symbol as {{ dbt.type_string() }}) as symbol,
        cast(news_date as date) as news_date,
        nullif(trim(cast(release_timing as {{ dbt.type_string() }})), '') as release_timing,
        cast(news_tz as {{ dbt.type_string() }}) as news_tz,
        cast(news_type as {{ dbt.type_string() }}) as news_type,
        cast(headline as {{ dbt.type_string() }}) as headline,
        cast(source_name as {{ dbt.type_string() }}) as source_name,
        cast(source_url as {{ dbt.type_string() }}) as source_url,
        cast(confidence as {{ dbt.type_string() }}) as confidence
    from {{ ref('company_news') }}
),

bounds as (
    select
        typed.*,
        case
            when release_timing = 'before_open' then '00:00'
            when release_timing = 'after_close' and news_tz = 'Asia/Shanghai' then '15:00'
            when release_timing = 'after_close' then '16:00'
            when release_timing is null then '00:00'
            else release_timing
        end as earliest_local,
        case
            when release_timing = 'before_open' then '09:00'
            when release_timing in ('after_close') or release_timing is null then '23:59'
            else release_timing
        end as latest_local
    from typed
)

select
    symbol,
    news_date,
    release_timing,
    news_tz,
    {{ local_to_utc("cast(" ~ dbt.concat(["cast(news_date as " ~ dbt.type_string() ~ ")", "' '", "earliest_local", "':00'"]) ~ " as timestamp)", "news_tz") }}
        as released_earliest_at,
    {{ local_to_utc("cast(" ~ dbt.concat(["cast(news_date as " ~ dbt.type_string() ~ ")", "' '", "latest_local", "':00'"]) ~ " as timestamp)", "news_tz") }}
        as released_latest_at,
    news_type,
    headline,
    source_name,
    source_url,
    confidence
from bounds
