-- The Carhart (1997) four-factor model per (event, listing), fitted over the study's estimation window on the chosen
-- estimation sample (as the other models are): r - rf = alpha + b_mkt (Mkt-RF) + b_smb SMB + b_hml HML + b_mom Mom
-- + e, by OLS (macros/regression.sql), with Kenneth French's daily US factors. Every anchored (event, listing) has a
-- row; model_status says why there is no fit: the factors describe the US market, so only US listings are fitted;
-- the library publishes monthly with a lag, so an estimation window its factors do not cover yet is
-- 'factors_not_published_yet'. The columns l_i_j (the Cholesky factor of the factors' centred moments) and
-- factor_mean_i feed the prediction-error variance of a CAR (fct_event_factor_model_returns).
-- Incremental on DuckDB: the pairs of int_event_pairs_to_build are deleted (pre-hook), and so is every row fitted on
-- other factor files than the landed ones (factor_files_fingerprint: a new monthly file revises history, so it
-- refits every pair); the body fits the anchored pairs that have no row. Rows carry the build that fitted them.
-- depends_on: {{ ref('int_event_pairs_to_build') }}
{{ config(
    materialized=incremental_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook=['{{ delete_pairs_to_build() }}', '{{ delete_fits_on_other_factor_files() }}'],
) }}
{%- set fitted_pairs_query -%}
select pairs.event_id, pairs.symbol
from {{ ref('int_event_listings_anchored') }} as pairs
inner join {{ ref('stg_curated__listings') }} as listings
    on listings.symbol = pairs.symbol and listings.market_region = 'US'
{%- if is_incremental() %}
where not exists (
    select 1 from {{ this }} as built where built.event_id = pairs.event_id and built.symbol = pairs.symbol)
{%- endif %}
{%- endset %}
with factors as (
    select * from {{ ref('int_french_factors_joined') }}
),

factor_coverage as (
    {{ french_factor_files_fingerprint() }}
),

us_listings as (
    select symbol from {{ ref('stg_curated__listings') }} where market_region = 'US'
),

-- the anchored pairs this build fits: every pair in a full build, those without a row in an incremental one
pairs as (
    select anchored.event_id, anchored.symbol, anchored.t0_session_date, anchored.event_date, anchored.t0_index
    from {{ ref('int_event_listings_anchored') }} as anchored
    {%- if is_incremental() %}
    left join {{ this }} as built
        on built.event_id = anchored.event_id and built.symbol = anchored.symbol
    where built.event_id is null
    {%- endif %}
),

-- the estimation windows' days of the US pairs fitted, with the factors where the library has them
estimation_days as (
    select
        days.event_id,
        days.symbol,
        days.relative_day,
        days.trade_date,
        days.daily_return - factors.risk_free_return as excess_return,
        factors.market_excess_return,
        factors.smb_return,
        factors.hml_return,
        factors.momentum_return,
        days.in_other_event_window
    from ({{ event_day_returns(only_pairs_to_build=false, pairs=fitted_pairs_query) }}) as days
    left join factors on factors.trade_date = days.trade_date
    where days.relative_day between {{ var('estimation_window_start') }} and {{ var('estimation_window_end') }}
),

-- the estimation window's last session on each listing, to tell a window the factors do not reach yet
estimation_end as (
    select event_id, symbol, max(trade_date) as estimation_end_date from estimation_days group by event_id, symbol
),

day_returns as (
    select *
    from estimation_days
    where excess_return is not null
        and market_excess_return is not null
        {%- if var('estimation_excludes_other_events') %}
        and not in_other_event_window
        {%- endif %}
),

moments as (
    select
        event_id,
        symbol,
        {{ ols_moments(4, 'excess_return', ['market_excess_return', 'smb_return', 'hml_return', 'momentum_return']) }}
    from day_returns
    group by event_id, symbol
),

{{ cholesky_solve_ctes('moments', 4, 'fits') }},

statused as (
    select
        anchored.event_id,
        anchored.symbol,
        anchored.t0_session_date,
        anchored.event_date,
        fits.ols_n,
        fits.ols_alpha,
        fits.ols_ssr,
        {%- for i in range(1, 5) %}
        fits.b_{{ i }},
        fits.ols_mean_x_{{ i }},
        {%- for j in range(1, i + 1) %}
        fits.l_{{ i }}_{{ j }},
        {%- endfor %}
        {%- endfor %}
        factor_coverage.factors_last_date,
        factor_coverage.file_vintage,
        factor_coverage.factor_files_fingerprint,
        case
            when us_listings.symbol is null then 'not_a_us_listing'
            when anchored.t0_session_date is null then 'no_session_after_announcement'
            when anchored.t0_index is null then 'no_price_on_event_day'
            when factor_coverage.factors_last_date is null then 'no_factor_data'
            when estimation_end.estimation_end_date > factor_coverage.factors_last_date
                then 'factors_not_published_yet'
            when coalesce(fits.ols_n, 0) < {{ var('min_estimation_days') }} then 'too_few_estimation_days'
            when fits.b_1 is null or fits.b_2 is null or fits.b_3 is null or fits.b_4 is null
                then 'singular_factor_moments'
            else 'fitted'
        end as model_status
    from pairs as anchored
    cross join factor_coverage
    left join us_listings on us_listings.symbol = anchored.symbol
    left join fits on fits.event_id = anchored.event_id and fits.symbol = anchored.symbol
    left join estimation_end on estimation_end.event_id = anchored.event_id and estimation_end.symbol = anchored.symbol
)

select
    cast(event_id as {{ dbt.type_string() }}) as event_id,
    cast(symbol as {{ dbt.type_string() }}) as symbol,
    t0_session_date,
    event_date,
    cast({{ chosen_estimation_sample() }} as {{ dbt.type_string() }}) as estimation_sample,
    cast(coalesce(ols_n, 0) as integer) as estimation_days,
    cast(case when model_status = 'fitted' then ols_n - 5 end as integer) as residual_df,
    case when model_status = 'fitted' then ols_alpha end as alpha,
    case when model_status = 'fitted' then b_1 end as beta_market,
    case when model_status = 'fitted' then b_2 end as beta_smb,
    case when model_status = 'fitted' then b_3 end as beta_hml,
    case when model_status = 'fitted' then b_4 end as beta_momentum,
    case when model_status = 'fitted' then sqrt(greatest(ols_ssr, cast(0 as double)) / (ols_n - 5)) end as residual_sd,
    {%- for i in range(1, 5) %}
    case when model_status = 'fitted' then ols_mean_x_{{ i }} end as factor_mean_{{ i }},
    {%- endfor %}
    {%- for i in range(1, 5) %}
    {%- for j in range(1, i + 1) %}
    case when model_status = 'fitted' then l_{{ i }}_{{ j }} end as l_{{ i }}_{{ j }},
    {%- endfor %}
    {%- endfor %}
    factors_last_date,
    cast(file_vintage as {{ dbt.type_string() }}) as factor_file_vintage,
    cast(factor_files_fingerprint as {{ dbt.type_string() }}) as factor_files_fingerprint,
    cast(model_status as {{ dbt.type_string() }}) as model_status,
    cast('{{ invocation_id }}' as {{ dbt.type_string() }}) as built_in_invocation_id
from statused
