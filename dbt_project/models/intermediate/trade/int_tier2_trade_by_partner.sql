-- The Tier-2 countries' imports of ICs (8542), computers (8471) and their parts (8473), one row per frequency,
-- period, country and HS code: what the country reported from the World (its total), China, Hong Kong, the USA and
-- Taiwan, and what China and the USA reported exporting to it (the mirror view). Null where no row came; the mart
-- decides what an absent row means.
with tier2 as (
    select comtrade_code from {{ ref('int_countries_tiered') }} where diffusion_tier = 2
),

trade as (
    select frequency, period, ref_year, ref_month, reporter_code, partner_code, flow, hs_code, value_usd
    from {{ ref('stg_comtrade__records') }}
    where hs_code in ('8542', '8471', '8473')
),

reported as (
    select
        trade.frequency, trade.period, trade.ref_year, trade.ref_month, trade.reporter_code as country_code,
        trade.hs_code,
        max(case when trade.partner_code = 0 then trade.value_usd end) as imports_total_usd,
        max(case when trade.partner_code = 156 then trade.value_usd end) as imports_from_china_usd,
        max(case when trade.partner_code = 344 then trade.value_usd end) as imports_from_hong_kong_usd,
        max(case when trade.partner_code = 842 then trade.value_usd end) as imports_from_usa_usd,
        max(case when trade.partner_code = 490 then trade.value_usd end) as imports_from_taiwan_usd
    from trade
    inner join tier2 on tier2.comtrade_code = trade.reporter_code
    where trade.flow = 'import' and trade.partner_code in (0, 156, 344, 842, 490)
    group by trade.frequency, trade.period, trade.ref_year, trade.ref_month, trade.reporter_code, trade.hs_code
),

mirror as (
    select
        trade.frequency, trade.period, trade.ref_year, trade.ref_month, trade.partner_code as country_code,
        trade.hs_code,
        max(case when trade.reporter_code = 156 then trade.value_usd end) as china_exports_to_country_usd,
        max(case when trade.reporter_code = 842 then trade.value_usd end) as usa_exports_to_country_usd
    from trade
    inner join tier2 on tier2.comtrade_code = trade.partner_code
    where trade.flow = 'export' and trade.reporter_code in (156, 842)
    group by trade.frequency, trade.period, trade.ref_year, trade.ref_month, trade.partner_code, trade.hs_code
)

select
    coalesce(reported.frequency, mirror.frequency) as frequency,
    coalesce(reported.period, mirror.period) as period,
    coalesce(reported.ref_year, mirror.ref_year) as ref_year,
    coalesce(reported.ref_month, mirror.ref_month) as ref_month,
    coalesce(reported.country_code, mirror.country_code) as country_code,
    coalesce(reported.hs_code, mirror.hs_code) as hs_code,
    reported.imports_total_usd,
    reported.imports_from_china_usd,
    reported.imports_from_hong_kong_usd,
    reported.imports_from_usa_usd,
    reported.imports_from_taiwan_usd,
    mirror.china_exports_to_country_usd,
    mirror.usa_exports_to_country_usd
from reported
full outer join mirror
    on mirror.frequency = reported.frequency
    and mirror.period = reported.period
    and mirror.country_code = reported.country_code
    and mirror.hs_code = reported.hs_code
