-- Daily bars as landed, typed. Prices in the listing's currency; adj_close is split- and dividend-adjusted.
select
    cast(symbol as {{ dbt.type_string() }}) as symbol,
    cast(trade_date as date) as trade_date,
    cast(open as double) as open_price,
    cast(high as double) as high_price,
    cast(low as double) as low_price,
    cast(close as double) as close_price,
    cast(adj_close as double) as adj_close,
    cast(volume as bigint) as volume,
    cast(currency as {{ dbt.type_string() }}) as currency,
    cast(exchange_timezone as {{ dbt.type_string() }}) as exchange_timezone,
    fetched_at
from {{ source('yahoo', 'daily_bars') }}
