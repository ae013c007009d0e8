select
    cast(group_id as {{ dbt.type_string() }}) as group_id,
    cast(group_label as {{ dbt.type_string() }}) as group_label,
    cast(description as {{ dbt.type_string() }}) as description
from {{ ref('listing_groups') }}
