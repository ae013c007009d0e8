-- China's imports by year, HS code and partner (annual Comtrade rows), each partner's share of the total and its
-- year-on-year change, with China customs' own IC import figure (HS 8542) beside Comtrade's and the difference.
-- Shares use Comtrade's World total; where Comtrade has no World row for the year, customs' total (share_basis says).
with china as (
    select ref_year as year, hs_code, partner_code, value_usd
    from {{ ref('stg_comtrade__records') }}
    where reporter_code = 156 and flow = 'import' and frequency = 'annual'
),

comtrade_totals as (
    select year, hs_code, value_usd as comtrade_total_usd from china where partner_code = 0
),

customs as (
    select year, '8542' as hs_code, ic_imports_usd
    from {{ ref('stg_curated__china_ic_customs') }}
    where ic_imports_usd is not null
),

totals as (
    select
        coalesce(comtrade_totals.year, customs.year) as year,
        coalesce(comtrade_totals.hs_code, customs.hs_code) as hs_code,
        comtrade_totals.comtrade_total_usd,
        customs.ic_imports_usd as customs_total_usd
    from comtrade_totals
    full outer join customs
        on customs.year = comtrade_totals.year and customs.hs_code = comtrade_totals.hs_code
),

rows_by_partner as (
    select year, hs_code, partner_code, value_usd from china
    union all
    select year, hs_code, 0 as partner_code, cast(null as double) as value_usd
    from totals where comtrade_total_usd is null and customs_total_usd is not null
)

select
    cast(rows_by_partner.year as integer) as year,
    cast(rows_by_partner.hs_code as {{ dbt.type_string() }}) as hs_code,
    cast(rows_by_partner.partner_code as integer) as partner_code,
    cast(partner.iso3 as {{ dbt.type_string() }}) as partner_iso3,
    cast(coalesce(partner.country_name, 'Comtrade area') as {{ dbt.type_string() }}) as partner_name,
    cast(partner.diffusion_tier as integer) as partner_tier,
    rows_by_partner.value_usd as imports_usd,
    round(rows_by_partner.value_usd / coalesce(totals.comtrade_total_usd, totals.customs_total_usd), 12) as share_of_total,
    cast(case
        when totals.comtrade_total_usd is not null then 'comtrade_world'
        when totals.customs_total_usd is not null then 'customs_total'
    end as {{ dbt.type_string() }}) as share_basis,
    round(rows_by_partner.value_usd / lag(rows_by_partner.value_usd) over (
        partition by rows_by_partner.hs_code, rows_by_partner.partner_code order by rows_by_partner.year) - 1, 12
    ) as yoy_change,
    totals.comtrade_total_usd,
    totals.customs_total_usd,
    totals.comtrade_total_usd - totals.customs_total_usd as comtrade_minus_customs_usd,
    round(totals.comtrade_total_usd / totals.customs_total_usd - 1, 12) as comtrade_vs_customs
from rows_by_partner
left join totals
    on totals.year = rows_by_partner.year and totals.hs_code = rows_by_partner.hs_code
left join {{ ref('int_countries_tiered') }} as partner
    on partner.comtrade_code = rows_by_partner.partner_code
