-- Each listing's own trading days, numbered, with the simple daily return from the adjusted close.
-- Event-time offsets (t0 - 250 ... t0 + 5) count these rows, so a listing's holidays never become zero-return days.
select
    symbol,
    trade_date,
    close_price,
    adj_close,
    row_number() over (partition by symbol order by trade_date) as session_index,
    adj_close / lag(adj_close) over (partition by symbol order by trade_date) - 1 as daily_return
from {{ ref('stg_yahoo__daily_bars') }}
