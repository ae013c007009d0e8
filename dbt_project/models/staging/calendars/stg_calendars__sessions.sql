select
    cast(trading_calendar as {{ dbt.type_string() }}) as trading_calendar,
    cast(session_date as date) as session_date,
    open_at,
    close_at
from {{ source('calendars', 'sessions') }}
