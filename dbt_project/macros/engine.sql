{#- Engine differences, one macro each, dispatched by adapter. DuckDB is the default engine; the spark__ and
    postgres__ variants keep the models portable (see docs/scaling.md). -#}

{#- median of a numeric expression (an aggregate) -#}
{% macro median(expr) %}{{ return(adapter.dispatch('median', 'chipwatch')(expr)) }}{% endmacro %}
{% macro default__median(expr) %}percentile_cont(0.5) within group (order by {{ expr }}){% endmacro %}
{% macro duckdb__median(expr) %}median({{ expr }}){% endmacro %}
{% macro spark__median(expr) %}percentile({{ expr }}, 0.5){% endmacro %}

{#- a wall-clock timestamp in IANA zone `tz` -> the instant (timestamptz on DuckDB/Postgres, timestamp on Spark) -#}
{% macro local_to_utc(ts, tz) %}{{ return(adapter.dispatch('local_to_utc', 'chipwatch')(ts, tz)) }}{% endmacro %}
{% macro default__local_to_utc(ts, tz) %}({{ ts }}) at time zone {{ tz }}{% endmacro %}
{% macro duckdb__local_to_utc(ts, tz) %}timezone({{ tz }}, {{ ts }}){% endmacro %}
{% macro spark__local_to_utc(ts, tz) %}to_utc_timestamp({{ ts }}, {{ tz }}){% endmacro %}

{#- the type of an instant -#}
{% macro type_instant() %}{{ return(adapter.dispatch('type_instant', 'chipwatch')()) }}{% endmacro %}
{% macro default__type_instant() %}timestamp with time zone{% endmacro %}
{% macro spark__type_instant() %}timestamp{% endmacro %}

{#- the values of a text expression joined with `delimiter`, in ascending order of the values themselves; null when
    there are none. DuckDB/Postgres: an ordered string aggregate. Spark has no ordered aggregate (dbt-spark's listagg
    drops the order by), so it sorts the collected list. -#}
{% macro sorted_string_agg(expr, delimiter) %}{{ return(adapter.dispatch('sorted_string_agg', 'chipwatch')(expr, delimiter)) }}{% endmacro %}
{% macro default__sorted_string_agg(expr, delimiter) %}{{ dbt.listagg(expr, delimiter, "order by " ~ expr) }}{% endmacro %}
{% macro spark__sorted_string_agg(expr, delimiter) %}nullif(array_join(array_sort(collect_list({{ expr }})), {{ delimiter }}), ''){% endmacro %}

{#- Inside a floating-point aggregate over rows from an incremental model: add them up in this order, so a table whose
    rows an incremental build appended in another physical order gives the full build's sums bit for bit (DuckDB
    honours ORDER BY in any aggregate). Spark builds every model in full: nothing to order there. -#}
{% macro in_order(expr) %}{{ return(adapter.dispatch('in_order', 'chipwatch')(expr)) }}{% endmacro %}
{% macro default__in_order(expr) %}order by {{ expr }}{% endmacro %}
{% macro spark__in_order(expr) %}{% endmacro %}
