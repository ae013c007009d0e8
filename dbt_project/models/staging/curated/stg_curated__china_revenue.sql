select
    cast(symbol as {{ dbt.type_string() }}) as symbol,
    cast(fiscal_year as integer) as fiscal_year,
    cast(fiscal_year_end as date) as fiscal_year_end,
    cast(china_revenue_m as double) as china_revenue_m,
    cast(total_revenue_m as double) as total_revenue_m,
    cast(china_share_reported as double) as china_share_reported,
    cast(currency as {{ dbt.type_string() }}) as currency,
    cast(china_definition as {{ dbt.type_string() }}) as china_definition,
    cast(source_name as {{ dbt.type_string() }}) as source_name,
    cast(source_url as {{ dbt.type_string() }}) as source_url,
    cast(confidence as {{ dbt.type_string() }}) as confidence
from {{ ref('curated_china_revenue') }}
