select
    cast(trading_calendar as varchar) as trading_calendar,
    cast(session_date as date) as session_date,
    open_at,
    close_at
from {{ source('calendars', 'sessions') }}
