-- t0 for every (event, listing): the first session of the listing's exchange whose close comes after the
-- announcement (news during trading hours -> that day; after the close -> the next session; a US evening is the
-- next morning in Shanghai). Closes come from exchange_calendars, so holidays such as Golden Week move t0.
-- Incremental on DuckDB (macros/incremental.sql): only the anchorings that are new or changed (a calendar session, a
-- listing's first bar on t0, a benchmark) are written again, stamped with this build and with the t0 they replace,
-- so int_event_pairs_to_build reruns their event study and that of the events near their old and new t0.
{{ config(
    materialized=incremental_materialization(),
    incremental_strategy='delete+insert',
    unique_key=['event_id', 'symbol'],
    on_schema_change='fail',
) }}

with anchoring as (
    {{ event_listings_anchoring() }}
)

select
    anchoring.*,
    {% if is_incremental() -%} stored.t0_index {%- else -%} cast(null as bigint) {%- endif %} as previous_t0_index,
    cast('{{ invocation_id }}' as {{ dbt.type_string() }}) as built_in_invocation_id
from anchoring
{% if is_incremental() %}
left join {{ this }} as stored
    on stored.event_id = anchoring.event_id and stored.symbol = anchoring.symbol
where stored.event_id is null
    or anchoring.benchmark_symbol is distinct from stored.benchmark_symbol
    or anchoring.t0_session_date is distinct from stored.t0_session_date
    or anchoring.event_date is distinct from stored.event_date
    or anchoring.t0_index is distinct from stored.t0_index
{% endif %}
