-- The daily Fama-French research factors, as fractions (the library publishes percent).
select
    cast(trade_date as date) as trade_date,
    cast(mkt_rf_pct as double) / 100 as market_excess_return,
    cast(smb_pct as double) / 100 as smb_return,
    cast(hml_pct as double) / 100 as hml_return,
    cast(rf_pct as double) / 100 as risk_free_return,
    cast(file_vintage as {{ dbt.type_string() }}) as file_vintage
from {{ source('french', 'factors_daily') }}
