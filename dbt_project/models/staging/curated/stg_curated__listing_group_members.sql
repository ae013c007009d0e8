select
    cast(group_id as {{ dbt.type_string() }}) as group_id,
    cast(symbol as {{ dbt.type_string() }}) as symbol
from {{ ref('listing_group_members') }}
