-- The source mode of every refresh: `sample` builds carry SYNTHETIC prices, not market data.
select
    refresh_id,
    started_at,
    source_mode,
    is_synthetic,
    items_requested,
    items_landed,
    items_failed,
    failed_items,
    failure_messages,
    chipwatch_version
from {{ ref('stg_chipwatch__refreshes') }}
