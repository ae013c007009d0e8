{#- Incremental builds (DEVELOPERS.md, "Incremental builds"). On DuckDB the models whose inputs only grow keep
    their rows between refreshes and rebuild only what new or revised prices touch; on Spark (Parquet tables, whose
    dbt-spark strategies are append and insert_overwrite: neither can replace a set of rows) they stay full tables.
    Each such model: materialized=incremental_materialization(), incremental_strategy='append', and a pre-hook
    that deletes the rows it is about to rebuild, so a key whose rebuilt result has fewer rows (or none) keeps no
    stale row; the body then selects exactly the rows to append. -#}
{% macro incremental_materialization() -%}
{{ return('incremental' if target.type == 'duckdb' else 'table') }}
{%- endmacro %}

{#- Pre-hook of the event-study models keyed by (event_id, symbol): drop the pairs this build recomputes. -#}
{% macro delete_pairs_to_build() -%}
{%- if is_incremental() -%}
delete from {{ this }} as built
using {{ ref('int_event_pairs_to_build') }} as pairs
where built.event_id = pairs.event_id and built.symbol = pairs.symbol
{%- endif -%}
{%- endmacro %}

{#- In an incremental build, keep only the rows of the pairs this build recomputes (a semi-join on relation.event_id,
    relation.symbol); in a full build, every pair. -#}
{% macro only_pairs_to_build(relation_alias) -%}
{%- if is_incremental() -%}
inner join {{ ref('int_event_pairs_to_build') }} as pairs_to_build
    on pairs_to_build.event_id = {{ relation_alias }}.event_id and pairs_to_build.symbol = {{ relation_alias }}.symbol
{%- endif -%}
{%- endmacro %}

{#- Pre-hook of int_daily_returns_indexed: per symbol, the first landed day that differs from what the table holds
    (a new day, or a revised close or adjusted close) and every later row are deleted; a symbol with a stored day no
    longer landed (its history was fetched again) is deleted whole. The body then appends the landed days after each
    symbol's last kept day, so the table stays an exact prefix plus recomputed rows, and the models downstream see
    from which session on each symbol changed (built_in_invocation_id). -#}
{% macro delete_revised_daily_returns() -%}
{%- if is_incremental() -%}
delete from {{ this }} as stored
using (
    select
        coalesce(landed.symbol, kept.symbol) as symbol,
        case
            when bool_or(landed.symbol is null) then cast(null as date)
            else min(landed.trade_date)
        end as rebuild_from
    from (select symbol, trade_date, close_price, adj_close from {{ ref('stg_yahoo__daily_bars') }}) as landed
    full outer join (select symbol, trade_date, close_price, adj_close from {{ this }}) as kept
        on kept.symbol = landed.symbol and kept.trade_date = landed.trade_date
    where landed.symbol is null
        or kept.symbol is null
        or landed.close_price is distinct from kept.close_price
        or landed.adj_close is distinct from kept.adj_close
    group by coalesce(landed.symbol, kept.symbol)
) as changed
where stored.symbol = changed.symbol and (changed.rebuild_from is null or stored.trade_date >= changed.rebuild_from)
{%- endif -%}
{%- endmacro %}


{#- Pre-hook of fct_daily_returns: the days int_daily_returns_indexed rebuilt in this build, from each symbol's first,
    and the symbols it no longer holds. -#}
{% macro delete_rebuilt_daily_returns() -%}
{%- if is_incremental() -%}
delete from {{ this }} as published
using (
    -- rebuilt from its first session: the whole symbol (its history may now start later)
    select symbol, case when min(session_index) = 1 then cast(null as date) else min(trade_date) end as rebuilt_from
    from {{ ref('int_daily_returns_indexed') }}
    where built_in_invocation_id = '{{ invocation_id }}'
    group by symbol
) as rebuilt
where published.symbol = rebuilt.symbol and (rebuilt.rebuilt_from is null or published.trade_date >= rebuilt.rebuilt_from)
{%- endif -%}
{%- endmacro %}

{% macro delete_vanished_daily_returns() -%}
{%- if is_incremental() -%}
delete from {{ this }}
where symbol not in (select symbol from {{ ref('int_daily_returns_indexed') }} where session_index = 1)
{%- endif -%}
{%- endmacro %}

{#- What the per-pair event-study models read: in an incremental build the day returns of the pairs
    int_event_pairs_to_build names (int_event_day_returns_to_build); otherwise every pair's
    (int_event_day_returns_joined), so `dbt build --full-refresh -s int_event_models_fitted+` computes every pair even
    when int_event_pairs_to_build still holds an earlier incremental build's pairs. Models calling it name both
    relations in `-- depends_on:` comments (dbt parses with is_incremental() false). -#}
{% macro event_day_returns_to_compute() -%}
{%- if is_incremental() -%}
{{ ref('int_event_day_returns_to_build') }}
{%- else -%}
{{ ref('int_event_day_returns_joined') }}
{%- endif -%}
{%- endmacro %}

{#- Pre-hooks around delete_revised_daily_returns: that comparison decides a set of rows, the same at any thread
    count, so it may use two DuckDB threads; the model's body then runs with the profile's one thread again (its
    rows, and every float sum downstream, must come in the same order in every build). -#}
{% macro exact_step_threads(on) -%}
{%- if target.type == 'duckdb' and is_incremental() -%}
set threads = {{ 2 if on else target.get('settings', {}).get('threads', 1) }}
{%- endif -%}
{%- endmacro %}
