{#- Spark: load seed rows as escaped literals. dbt-spark 1.11's session cursor pastes each binding into the SQL
    between single quotes without escaping, so a value holding an apostrophe ("Nvidia's") breaks the statement and an
    empty cell arrives as the text 'None'. This override (dbt dispatch picks the root project's spark__load_csv_rows
    first) writes null for empty cells and Spark string literals with \ and ' escaped. DuckDB loads seeds its own way. -#}
{% macro spark__load_csv_rows(model, agate_table) %}
  {%- set column_override = model['config'].get('column_types', {}) -%}
  {%- set statements = [] -%}
  {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
    {%- set sql -%}
      insert into {{ this.render() }} values
      {% for row in chunk -%}
        ({%- for col_name in agate_table.column_names -%}
          {%- set type = column_override.get(col_name, adapter.convert_type(agate_table, loop.index0)) -%}
          cast({{ spark_seed_literal(row[loop.index0]) }} as {{ type }}){%- if not loop.last %}, {% endif -%}
        {%- endfor -%}){%- if not loop.last %},{% endif %}
      {% endfor %}
    {%- endset -%}
    {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
    {%- if loop.index0 == 0 -%}{%- do statements.append(sql) -%}{%- endif -%}
  {%- endfor -%}
  {{ return(statements[0]) }}
{% endmacro %}

{% macro spark_seed_literal(value) -%}
  {%- if value is none -%}null
  {%- elif value is boolean -%}{{ 'true' if value else 'false' }}
  {%- elif value is number -%}'{{ value }}'
  {%- else -%}'{{ (value | string).replace('\\', '\\\\').replace("'", "\\'") }}'
  {%- endif -%}
{%- endmacro %}
