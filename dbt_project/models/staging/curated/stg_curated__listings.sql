select
    cast(symbol as {{ dbt.type_string() }}) as symbol,
    cast(name as {{ dbt.type_string() }}) as listing_name,
    cast(country_iso3 as {{ dbt.type_string() }}) as country_iso3,
    cast(exchange as {{ dbt.type_string() }}) as exchange,
    cast(trading_calendar as {{ dbt.type_string() }}) as trading_calendar,
    cast(market_region as {{ dbt.type_string() }}) as market_region,
    cast(segment as {{ dbt.type_string() }}) as segment,
    cast(currency as {{ dbt.type_string() }}) as currency,
    cast(benchmark_symbol as {{ dbt.type_string() }}) as benchmark_symbol,
    cast(is_benchmark as boolean) as is_benchmark,
    cast(instrument_type as {{ dbt.type_string() }}) as instrument_type,
    cast(source_url as {{ dbt.type_string() }}) as source_url
from {{ ref('curated_listings') }}
