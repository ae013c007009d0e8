select
    cast(estimate_id as {{ dbt.type_string() }}) as estimate_id,
    cast(publisher as {{ dbt.type_string() }}) as publisher,
    cast(published_on as date) as published_on,
    cast(period as {{ dbt.type_string() }}) as period,
    cast(period_end as date) as period_end,
    cast(period_basis as {{ dbt.type_string() }}) as period_basis,
    cast(is_forecast as boolean) as is_forecast,
    cast(metric as {{ dbt.type_string() }}) as metric,
    cast(domestic_vendors_share as double) as domestic_vendors_share,
    cast(nvidia_share as double) as nvidia_share,
    cast(huawei_share as double) as huawei_share,
    cast(share_qualifier as {{ dbt.type_string() }}) as share_qualifier,
    cast(confidence as {{ dbt.type_string() }}) as confidence,
    cast(source_name as {{ dbt.type_string() }}) as source_name,
    cast(source_url as {{ dbt.type_string() }}) as source_url,
    cast(note as {{ dbt.type_string() }}) as note
from {{ ref('china_ai_accelerator_share_estimates') }}
