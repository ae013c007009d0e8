select
    cast(period as {{ dbt.type_string() }}) as period,
    cast(period_start as date) as period_start,
    cast(period_end as date) as period_end,
    cast(revenue_cny_m as double) as revenue_cny_m,
    cast(reported_yoy_growth as double) as reported_yoy_growth,
    cast(net_profit_cny_m as double) as net_profit_cny_m,
    cast(is_derived as boolean) as is_derived,
    cast(confidence as {{ dbt.type_string() }}) as confidence,
    cast(source_name as {{ dbt.type_string() }}) as source_name,
    cast(source_url as {{ dbt.type_string() }}) as source_url,
    cast(note as {{ dbt.type_string() }}) as note
from {{ ref('cambricon_quarterly_revenue') }}
