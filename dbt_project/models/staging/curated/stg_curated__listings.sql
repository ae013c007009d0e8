select
    cast(symbol as varchar) as symbol,
    cast(name as varchar) as listing_name,
    cast(country_iso3 as varchar) as country_iso3,
    cast(exchange as varchar) as exchange,
    cast(trading_calendar as varchar) as trading_calendar,
    cast(market_region as varchar) as market_region,
    cast(segment as varchar) as segment,
    cast(currency as varchar) as currency,
    cast(benchmark_symbol as varchar) as benchmark_symbol,
    cast(is_benchmark as boolean) as is_benchmark,
    cast(instrument_type as varchar) as instrument_type,
    cast(source_url as varchar) as source_url
from {{ ref('curated_listings') }}
