select
    cast(iso3 as {{ dbt.type_string() }}) as iso3,
    cast(m49_code as integer) as m49_code,
    cast(comtrade_code as integer) as comtrade_code,
    cast(country_name as {{ dbt.type_string() }}) as country_name,
    cast(comtrade_name as {{ dbt.type_string() }}) as comtrade_name,
    is_country,
    cast(diffusion_tier as integer) as diffusion_tier,
    tier_effective_on,
    tier_rescinded_on,
    tier_list_as_of,
    cast(controls_destination_iso3 as {{ dbt.type_string() }}) as controls_destination_iso3
from {{ ref('int_countries_tiered') }}
