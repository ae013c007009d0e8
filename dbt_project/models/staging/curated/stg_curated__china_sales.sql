select
    cast(chip_id as {{ dbt.type_string() }}) as chip_id,
    cast(nullif(trim(cast(sold_without_licence_from as {{ dbt.type_string() }})), '') as date) as sold_without_licence_from,
    cast(nullif(trim(cast(sold_without_licence_until as {{ dbt.type_string() }})), '') as date) as sold_without_licence_until,
    cast(source_name as {{ dbt.type_string() }}) as source_name,
    cast(source_url as {{ dbt.type_string() }}) as source_url,
    cast(confidence as {{ dbt.type_string() }}) as confidence
from {{ ref('curated_china_sales') }}
