-- Every country (and Comtrade's World area) with its AI Diffusion Framework tier: 1 and 3 as listed, 2 for every
-- other country (the framework's default), none for aggregate areas. The list is the framework's as released
-- (2025-01-13); Hong Kong and Macau carry China's tier and say so (controls_destination_iso3).
with framework as (
    select min(effective_on) as effective_on, max(rescinded_on) as rescinded_on, min(effective_on) as list_as_of
    from {{ ref('stg_curated__diffusion_tiers') }}
)

select
    countries.iso3,
    countries.m49_code,
    countries.comtrade_code,
    countries.country_name,
    countries.comtrade_name,
    countries.is_country,
    case when countries.is_country then coalesce(tiers.tier, 2) end as diffusion_tier,
    case when countries.is_country then framework.effective_on end as tier_effective_on,
    case when countries.is_country then framework.rescinded_on end as tier_rescinded_on,
    case when countries.is_country then framework.list_as_of end as tier_list_as_of,
    case when countries.is_country then coalesce(tiers.treated_as_iso3, countries.iso3) end as controls_destination_iso3
from {{ ref('stg_reference__countries') }} as countries
cross join framework
left join {{ ref('stg_curated__diffusion_tiers') }} as tiers
    on tiers.iso3 = countries.iso3
