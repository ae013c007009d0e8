-- Every landed daily bar with its return. Incremental on DuckDB (macros/incremental.sql): the pre-hook deletes each symbol's rows from the first day
-- int_daily_returns_indexed rebuilt in this build (and the rows of a symbol it no longer holds); this appends the
-- rebuilt days.
{{ config(
    materialized=incremental_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook=['{{ delete_rebuilt_daily_returns() }}', '{{ delete_vanished_daily_returns() }}'],
) }}

select
    cast(symbol as {{ dbt.type_string() }}) as symbol,
    trade_date,
    close_price as close,
    adj_close,
    daily_return
from {{ ref('int_daily_returns_indexed') }}
{% if is_incremental() %}
where built_in_invocation_id = '{{ invocation_id }}'
{% endif %}
