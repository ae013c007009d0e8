select
    cast(symbol as {{ dbt.type_string() }}) as symbol,
    trade_date,
    close_price as close,
    adj_close,
    daily_return
from {{ ref('int_daily_returns_indexed') }}
