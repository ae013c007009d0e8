-- Each listing's own trading days, numbered, with the simple daily return from the adjusted close.
-- Event-time offsets (t0 - 250 ... t0 + 5) count these rows, so a listing's holidays never become zero-return days.
-- Incremental on DuckDB (macros/incremental.sql): the pre-hook deletes each symbol's rows from its first new or
-- revised landed day; this appends the landed days after the last kept one, numbered on from it and with the return
-- over the kept day's adjusted close, so the rows equal a full build's bit for bit. built_in_invocation_id tells the
-- models downstream which rows this build (re)computed.
{{ config(
    materialized=incremental_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook=['{{ exact_step_threads(on=true) }}', '{{ delete_revised_daily_returns() }}',
              '{{ exact_step_threads(on=false) }}'],
) }}

with landed as (
    select symbol, trade_date, close_price, adj_close from {{ ref('stg_yahoo__daily_bars') }}
),

{% if is_incremental() %}
kept as (
    select
        symbol,
        max(trade_date) as last_trade_date,
        max(session_index) as last_session_index,
        arg_max(adj_close, trade_date) as last_adj_close
    from {{ this }}
    group by symbol
),

to_append as (
    select
        landed.*,
        coalesce(kept.last_session_index, 0) as sessions_before,
        kept.last_adj_close as adj_close_before
    from landed
    left join kept on kept.symbol = landed.symbol
    where kept.last_trade_date is null or landed.trade_date > kept.last_trade_date
),
{% else %}
to_append as (
    select landed.*, 0 as sessions_before, cast(null as double) as adj_close_before from landed
),
{% endif %}

numbered as (
    select
        to_append.*,
        row_number() over (partition by symbol order by trade_date) as position,
        lag(adj_close) over (partition by symbol order by trade_date) as previous_adj_close
    from to_append
)

select
    symbol,
    trade_date,
    close_price,
    adj_close,
    sessions_before + position as session_index,
    adj_close / (case when position = 1 then adj_close_before else previous_adj_close end) - 1 as daily_return,
    cast('{{ invocation_id }}' as {{ dbt.type_string() }}) as built_in_invocation_id
from numbered
