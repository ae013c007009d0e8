select
    cast(symbol as varchar) as symbol,
    trade_date,
    close_price as close,
    adj_close,
    daily_return
from {{ ref('int_daily_returns_indexed') }}
