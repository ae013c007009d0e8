-- The daily momentum factor (Carhart's UMD as the library builds it), as a fraction (the library publishes percent).
select
    cast(trade_date as date) as trade_date,
    cast(mom_pct as double) / 100 as momentum_return,
    cast(file_vintage as {{ dbt.type_string() }}) as file_vintage
from {{ source('french', 'momentum_daily') }}
