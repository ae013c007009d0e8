select
    cast(event_id as {{ dbt.type_string() }}) as event_id,
    cast(event_family as {{ dbt.type_string() }}) as event_family,
    cast(reasoning as {{ dbt.type_string() }}) as family_reasoning
from {{ ref('event_families') }}
