{#- The factor files a four-factor fit used (int_event_factor_models_fitted): their first and last day, vintage, and a
    fingerprint that changes with any landed value (Kenneth French's monthly files revise history by a few basis
    points): both files' vintages, the row count, the last day and each factor's sum in integer millionths weighted by
    its day (days since 1900 modulo 9973, plus one), exact in any order, so revisions that offset each other within
    a column still change it. -#}
{% macro french_factor_files_fingerprint() -%}
select
    min(trade_date) as factors_first_date,
    max(trade_date) as factors_last_date,
    max(file_vintage) as file_vintage,
    concat(
        coalesce(max(file_vintage), 'none'), '|',
        coalesce(max(momentum_file_vintage), 'none'), '|',
        cast(count(*) as {{ dbt.type_string() }}), '|',
        coalesce(cast(max(trade_date) as {{ dbt.type_string() }}), 'none'), '|',
        {%- for column in ['market_excess_return', 'smb_return', 'hml_return', 'momentum_return', 'risk_free_return'] %}
        coalesce(cast(sum(cast(round({{ column }} * 1000000) as bigint)
            * ({{ dbt.datediff("cast('1900-01-01' as date)", 'trade_date', 'day') }} % 9973 + 1))
            as {{ dbt.type_string() }}), 'none')
        {{- ", '|'," if not loop.last }}
        {%- endfor %}
    ) as factor_files_fingerprint
from {{ ref('int_french_factors_joined') }}
{%- endmacro %}

{#- Pre-hook of int_event_factor_models_fitted: drop every fit made on other factor files than the landed ones. -#}
{% macro delete_fits_on_other_factor_files() -%}
{%- if is_incremental() -%}
delete from {{ this }}
where factor_files_fingerprint <> (select factor_files_fingerprint from ({{ french_factor_files_fingerprint() }}) as landed)
{%- endif -%}
{%- endmacro %}

{#- Pre-hook of fct_event_factor_model_returns: drop the pairs int_event_factor_models_fitted fitted in this build. -#}
{% macro delete_pairs_refitted() -%}
{%- if is_incremental() -%}
delete from {{ this }} as published
using {{ ref('int_event_factor_models_fitted') }} as fits
where fits.built_in_invocation_id = '{{ invocation_id }}'
    and published.event_id = fits.event_id
    and published.symbol = fits.symbol
{%- endif -%}
{%- endmacro %}
