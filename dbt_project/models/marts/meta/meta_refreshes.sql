-- One row per refresh, from the attempts of its datasets (a dataset not asked in a refresh has no attempt).
-- `sample` builds carry SYNTHETIC prices and trade flows, not market data.
with attempts as (
    select * from {{ ref('stg_chipwatch__refreshes') }}
)

select
    refresh_id,
    min(started_at) as started_at,
    max(finished_at) as finished_at,
    max(source_mode) as source_mode,
    max(case when is_synthetic then 1 else 0 end) = 1 as is_synthetic,
    {{ sorted_string_agg(dbt.concat(["source", "'.'", "dataset"]), "','") }} as datasets_asked,
    {{ sorted_string_agg("case when not landed then " ~ dbt.concat(["source", "'.'", "dataset"]) ~ " end", "','") }}
        as datasets_failed,
    cast(sum(items_requested) as integer) as items_requested,
    cast(sum(items_requested - items_failed) as integer) as items_landed,
    cast(sum(items_failed) as integer) as items_failed,
    {{ sorted_string_agg('failed_items', "','") }} as failed_items,
    {{ sorted_string_agg('coalesce(failure_messages, error)', 'chr(10)') }} as failure_messages,
    max(chipwatch_version) as chipwatch_version
from attempts
group by refresh_id
