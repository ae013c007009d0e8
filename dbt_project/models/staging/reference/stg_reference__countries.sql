select
    cast(iso3 as {{ dbt.type_string() }}) as iso3,
    cast(iso_numeric as integer) as m49_code,
    cast(comtrade_code as integer) as comtrade_code,
    cast(country_name as {{ dbt.type_string() }}) as country_name,
    cast(comtrade_name as {{ dbt.type_string() }}) as comtrade_name,
    cast(is_country as boolean) as is_country
from {{ source('reference', 'countries') }}
