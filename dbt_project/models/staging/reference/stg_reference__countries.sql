select
    cast(iso3 as varchar) as iso3,
    cast(iso_numeric as integer) as m49_code,
    cast(comtrade_code as integer) as comtrade_code,
    cast(country_name as varchar) as country_name,
    cast(comtrade_name as varchar) as comtrade_name,
    cast(is_country as boolean) as is_country
from {{ source('reference', 'countries') }}
