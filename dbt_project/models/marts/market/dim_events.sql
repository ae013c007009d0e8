select
    event_id,
    announced_on,
    cast(announced_at as {{ type_instant() }}) as announced_at,
    announced_tz,
    time_precision,
    announced_time_assumed,
    announced_at_basis,
    timing_note,
    title,
    category,
    announcer,
    confidence,
    source_name,
    source_url
from {{ ref('stg_curated__events') }}
