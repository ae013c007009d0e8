{#- The raw zone (Parquet written by the Dagster assets) as dbt sources. Each source's `external_location` says where
    its files are, once, for every engine: dbt-duckdb reads it directly; on Spark this hook (on-run-start) makes
    one view per source, `<source>.<table>`, over the same files, so models' source() calls resolve on both. -#}
{% macro register_raw_sources() %}{{ return(adapter.dispatch('register_raw_sources', 'chipwatch')()) }}{% endmacro %}

{% macro default__register_raw_sources() %}{% endmacro %}

{% macro spark__register_raw_sources() %}
  {%- if execute -%}
    {%- for node in graph.sources.values() if node.package_name == project_name -%}
      {%- set location = node.config.get('external_location') or '' -%}
      {%- set found = modules.re.match("^read_parquet\('([^']+)'\)$", location) -%}
      {%- if not found -%}
        {{ exceptions.raise_compiler_error("source " ~ node.source_name ~ "." ~ node.name ~ ": external_location must be read_parquet('<path>'), got: " ~ location) }}
      {%- endif -%}
      {%- set path = found.group(1) -%}
      {%- if '`' in path or '\n' in path -%}
        {{ exceptions.raise_compiler_error("source " ~ node.source_name ~ "." ~ node.name ~ ": a backtick or line break in its Parquet path: " ~ path) }}
      {%- endif -%}
      {%- set relation = api.Relation.create(schema=node.schema, identifier=node.identifier) -%}
      {% do run_query("create database if not exists " ~ node.schema) %}
      {% do run_query("create or replace view " ~ relation ~ " as select * from parquet.`" ~ path ~ "`") %}
    {%- endfor -%}
  {%- endif -%}
{% endmacro %}
