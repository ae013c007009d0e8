-- Each listing's revenue from China by fiscal year and its share of revenue: china / total where the filing gives
-- both, else the share the source reports; null with the reason where the China figure is unconfirmed.
select
    cast(symbol as {{ dbt.type_string() }}) as symbol,
    fiscal_year,
    fiscal_year_end,
    china_revenue_m,
    total_revenue_m,
    cast(currency as {{ dbt.type_string() }}) as currency,
    case
        when confidence = 'unconfirmed' then cast(null as double)
        when china_revenue_m is not null and total_revenue_m > 0 then round(china_revenue_m / total_revenue_m, 12)
        else china_share_reported
    end as china_revenue_share,
    cast(case
        when confidence = 'unconfirmed' then 'the China figure was not seen in any source checked (confidence unconfirmed)'
        when china_revenue_m is null and china_share_reported is null then 'no China figure'
    end as {{ dbt.type_string() }}) as china_revenue_share_null_reason,
    cast(china_definition as {{ dbt.type_string() }}) as china_definition,
    cast(confidence as {{ dbt.type_string() }}) as confidence,
    cast(source_name as {{ dbt.type_string() }}) as source_name,
    cast(source_url as {{ dbt.type_string() }}) as source_url
from {{ ref('stg_curated__china_revenue') }}
