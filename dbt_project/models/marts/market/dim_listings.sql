with coverage as (
    select symbol, min(trade_date) as first_trade_date, max(trade_date) as last_trade_date, count(*) as trading_days
    from {{ ref('stg_yahoo__daily_bars') }}
    group by symbol
)

select
    listings.symbol,
    listings.listing_name,
    listings.country_iso3,
    listings.exchange,
    listings.trading_calendar,
    listings.market_region,
    listings.segment,
    listings.currency,
    listings.benchmark_symbol,
    fallbacks.fallback_benchmark_symbol,
    listings.is_benchmark,
    listings.instrument_type,
    coverage.first_trade_date,
    coverage.last_trade_date,
    cast(coalesce(coverage.trading_days, 0) as integer) as trading_days,
    listings.source_url
from {{ ref('stg_curated__listings') }} as listings
left join coverage on coverage.symbol = listings.symbol
left join {{ ref('stg_curated__listing_fallback_benchmarks') }} as fallbacks on fallbacks.symbol = listings.symbol
