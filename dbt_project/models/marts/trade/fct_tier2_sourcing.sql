-- Where Tier-2 countries of the AI Diffusion Framework buy their chips and servers: per country, period and HS code
-- (8542 ICs, 8471 computers, 8473 their parts), imports from China, Hong Kong, the USA and Taiwan and their shares of
-- the country's total, the mirror figures (China's and the USA's reported exports to the country) beside them, and
-- how complete the period is. One row for every Tier-2 country in every period some Tier-2 country or a mirror
-- reporter reported, so a country that did not report shows as such (country_reported false) rather than missing.
with tier2 as (
    select comtrade_code, iso3, country_name from {{ ref('int_countries_tiered') }} where diffusion_tier = 2
),

tier2_count as (
    select count(*) as tier2_countries from tier2
),

flows as (
    select * from {{ ref('int_tier2_trade_by_partner') }}
),

periods as (  -- periods some Tier-2 country or a mirror reporter reported (not only a stray partner record)
    select distinct frequency, period, ref_year, ref_month, hs_code
    from flows
    where imports_total_usd is not null
        or china_exports_to_country_usd is not null
        or usa_exports_to_country_usd is not null
),

reporting as (
    select
        frequency, period, hs_code,
        count(imports_total_usd) as tier2_countries_reporting,
        count(china_exports_to_country_usd) > 0 as china_reported_exports,
        count(usa_exports_to_country_usd) > 0 as usa_reported_exports
    from flows
    group by frequency, period, hs_code
),

joined as (
    select
        periods.frequency, periods.period, periods.ref_year, periods.ref_month, periods.hs_code,
        tier2.comtrade_code, tier2.iso3, tier2.country_name,
        flows.imports_total_usd is not null as country_reported,
        flows.imports_total_usd,
        -- Comtrade omits zero flows: in a period the country reported, a partner without a row is 0
        coalesce(flows.imports_from_china_usd, case when flows.imports_total_usd is not null then 0 end) as china,
        coalesce(flows.imports_from_hong_kong_usd, case when flows.imports_total_usd is not null then 0 end) as hong_kong,
        coalesce(flows.imports_from_usa_usd, case when flows.imports_total_usd is not null then 0 end) as usa,
        coalesce(flows.imports_from_taiwan_usd, case when flows.imports_total_usd is not null then 0 end) as taiwan,
        case when reporting.china_reported_exports then coalesce(flows.china_exports_to_country_usd, 0) end as china_mirror,
        case when reporting.usa_reported_exports then coalesce(flows.usa_exports_to_country_usd, 0) end as usa_mirror,
        reporting.tier2_countries_reporting
    from periods
    cross join tier2
    left join flows
        on flows.frequency = periods.frequency
        and flows.period = periods.period
        and flows.hs_code = periods.hs_code
        and flows.country_code = tier2.comtrade_code
    left join reporting
        on reporting.frequency = periods.frequency
        and reporting.period = periods.period
        and reporting.hs_code = periods.hs_code
),

checked as (
    select
        *,
        case
            when not country_reported
                then 'not reported: the country sent Comtrade no imports of this code for the period'
            when imports_total_usd = 0 then 'the reported total is zero'
            when china + hong_kong + usa + taiwan > imports_total_usd * cast(1.000001 as double)
                then 'implausible: imports from China, Hong Kong, the USA and Taiwan exceed the reported total'
        end as share_null_reason
    from joined
)

select
    cast(frequency as {{ dbt.type_string() }}) as frequency,
    cast(period as {{ dbt.type_string() }}) as period,
    cast(ref_year as integer) as year,
    cast(ref_month as integer) as month,
    cast(iso3 as {{ dbt.type_string() }}) as country_iso3,
    cast(country_name as {{ dbt.type_string() }}) as country_name,
    cast(comtrade_code as integer) as comtrade_code,
    cast(hs_code as {{ dbt.type_string() }}) as hs_code,
    cast(case hs_code
        when '8542' then 'integrated circuits'
        when '8471' then 'computers (servers among them)'
        when '8473' then 'parts and accessories of computers (accelerator boards among them)'
    end as {{ dbt.type_string() }}) as hs_description,
    country_reported,
    imports_total_usd,
    china as imports_from_china_usd,
    hong_kong as imports_from_hong_kong_usd,
    china + hong_kong as imports_from_china_incl_hk_usd,
    usa as imports_from_usa_usd,
    taiwan as imports_from_taiwan_usd,
    case when share_null_reason is null then china / imports_total_usd end as china_share,
    case when share_null_reason is null then (china + hong_kong) / imports_total_usd end as china_incl_hk_share,
    case when share_null_reason is null then usa / imports_total_usd end as usa_share,
    case when share_null_reason is null then taiwan / imports_total_usd end as taiwan_share,
    cast(share_null_reason as {{ dbt.type_string() }}) as share_null_reason,
    china / nullif(china + usa, 0) as china_share_of_china_and_usa,
    china_mirror as china_exports_to_country_usd,
    usa_mirror as usa_exports_to_country_usd,
    china_mirror / nullif(china_mirror + usa_mirror, 0) as mirror_china_share_of_china_and_usa,
    cast(tier2_countries_reporting as integer) as tier2_countries_reporting,
    cast(tier2_count.tier2_countries as integer) as tier2_countries
from checked
cross join tier2_count
