-- Semiconductor and computer trade flows (HS 8542, 8486, 8471, 8473) from UN Comtrade, one row per
-- frequency, period, reporter, partner, HS code and flow, with the partner's AI Diffusion tier.
select
    cast(trade.frequency as {{ dbt.type_string() }}) as frequency,
    cast(trade.period as {{ dbt.type_string() }}) as period,
    cast(trade.ref_year as integer) as year,
    cast(trade.ref_month as integer) as month,
    cast(trade.reporter_code as integer) as reporter_code,
    cast(reporter.iso3 as {{ dbt.type_string() }}) as reporter_iso3,
    cast(coalesce(reporter.country_name, {{ dbt.concat(["'Comtrade area '", "cast(trade.reporter_code as " ~ dbt.type_string() ~ ")"]) }}) as {{ dbt.type_string() }}) as reporter_name,
    cast(reporter.diffusion_tier as integer) as reporter_tier,
    cast(trade.partner_code as integer) as partner_code,
    cast(partner.iso3 as {{ dbt.type_string() }}) as partner_iso3,
    cast(coalesce(partner.country_name, {{ dbt.concat(["'Comtrade area '", "cast(trade.partner_code as " ~ dbt.type_string() ~ ")"]) }}) as {{ dbt.type_string() }}) as partner_name,
    cast(partner.diffusion_tier as integer) as partner_tier,
    cast(trade.hs_code as {{ dbt.type_string() }}) as hs_code,
    cast(trade.flow as {{ dbt.type_string() }}) as flow,
    trade.value_usd,
    trade.net_weight_kg
from {{ ref('stg_comtrade__records') }} as trade
left join {{ ref('int_countries_tiered') }} as reporter
    on reporter.comtrade_code = trade.reporter_code
left join {{ ref('int_countries_tiered') }} as partner
    on partner.comtrade_code = trade.partner_code
