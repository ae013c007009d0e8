-- The event study under the Carhart (1997) four-factor model, per (event, listing, window of seed event_windows):
-- abnormal excess returns AR = (r - rf) - (alpha + b_mkt Mkt-RF + b_smb SMB + b_hml HML + b_mom Mom), fitted by
-- int_event_factor_models_fitted, summed over the window (car), with the prediction-error standard error
-- var(CAR) = s^2 (L + L^2/n + d' S^-1 d), d = the window's summed factors less L times their estimation means
-- (Campbell, Lo and MacKinlay 1997, sec. 4.4, with four regressors), a Student t with n - 5 df, p-value and 95%
-- interval. Every anchored (event, listing) has a row per window; result_status says why there is no CAR: no fit
-- (the fit's model_status), the library's factors not published yet for a window day, or a window day without a
-- return. Incremental on DuckDB: the pairs int_event_factor_models_fitted fitted in this build are deleted (pre-hook)
-- and computed again; the others keep their rows.
{{ config(
    materialized=incremental_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook='{{ delete_pairs_refitted() }}',
) }}
{%- set refitted -%}
select event_id, symbol
from {{ ref('int_event_factor_models_fitted') }}
where model_status = 'fitted'
{%- if is_incremental() %} and built_in_invocation_id = '{{ invocation_id }}'{% endif %}
{%- endset %}
with fits as (
    select *
    from {{ ref('int_event_factor_models_fitted') }}
    {%- if is_incremental() %}
    where built_in_invocation_id = '{{ invocation_id }}'
    {%- endif %}
),

span as (
    select min(window_start) as first_day, max(window_end) as last_day from {{ ref('event_windows') }}
),

window_days as (
    select
        days.event_id,
        days.symbol,
        days.relative_day,
        days.trade_date,
        days.daily_return,
        factors.risk_free_return,
        factors.market_excess_return,
        factors.smb_return,
        factors.hml_return,
        factors.momentum_return
    from ({{ event_day_returns(only_pairs_to_build=false, pairs=refitted) }}) as days
    cross join span
    left join {{ ref('int_french_factors_joined') }} as factors
        on factors.trade_date = days.trade_date
    where days.relative_day between span.first_day and span.last_day
),

sums as (
    select
        window_days.event_id,
        window_days.symbol,
        windows.window_start,
        windows.window_end,
        count(window_days.daily_return) as days_with_returns,
        count(window_days.market_excess_return) as days_with_factors,
        max(window_days.trade_date) as last_window_date,
        sum(window_days.daily_return - window_days.risk_free_return)
            as excess_return_sum,
        sum(window_days.market_excess_return) as factor_sum_1,
        sum(window_days.smb_return) as factor_sum_2,
        sum(window_days.hml_return) as factor_sum_3,
        sum(window_days.momentum_return) as factor_sum_4,
        {{ compound_return('window_days.daily_return') }} as raw_return
    from window_days
    inner join {{ ref('event_windows') }} as windows
        on window_days.relative_day between windows.window_start and windows.window_end
    group by window_days.event_id, window_days.symbol, windows.window_start, windows.window_end
),

-- every fit (and every reason for none) x window, with the window's sums where the fit exists
candidates as (
    select
        fits.*,
        windows.window_start,
        windows.window_end,
        windows.window_end - windows.window_start + 1 as window_days,
        sums.days_with_returns,
        sums.days_with_factors,
        sums.last_window_date,
        sums.excess_return_sum,
        sums.raw_return,
        {%- for i in range(1, 5) %}
        sums.factor_sum_{{ i }} - (windows.window_end - windows.window_start + 1) * fits.factor_mean_{{ i }}
            as factor_deviation_{{ i }},
        {%- endfor %}
        sums.excess_return_sum - (windows.window_end - windows.window_start + 1) * fits.alpha
            - fits.beta_market * sums.factor_sum_1 - fits.beta_smb * sums.factor_sum_2
            - fits.beta_hml * sums.factor_sum_3 - fits.beta_momentum * sums.factor_sum_4 as car_if_complete
    from fits
    cross join {{ ref('event_windows') }} as windows
    left join sums
        on sums.event_id = fits.event_id
        and sums.symbol = fits.symbol
        and sums.window_start = windows.window_start
        and sums.window_end = windows.window_end
),

{{ forward_substitution_ctes('candidates', 4, 'factor_deviation_', 'solved') }},

statused as (
    select
        solved.*,
        case
            when model_status <> 'fitted' then model_status
            when coalesce(days_with_factors, 0) < coalesce(days_with_returns, 0)
                and last_window_date > factors_last_date then 'factors_not_published_yet'
            when coalesce(days_with_returns, 0) < window_days then 'window_day_without_return'
            when days_with_factors < window_days then 'factors_missing_on_a_window_day'
            else 'computed'
        end as result_status
    from solved
),

tested as (
    select
        statused.*,
        case when result_status = 'computed' then car_if_complete end as car,
        case when result_status = 'computed' then residual_sd * sqrt(
            cast(window_days as double) + cast(window_days as double) * window_days / estimation_days + w_squared)
        end as car_se
    from statused
),

with_deviate as (
    select
        tested.*,
        tested.car / nullif(tested.car_se, 0) as t_stat,
        {{ student_t_normal_deviate('tested.car / nullif(tested.car_se, 0)', 'tested.residual_df') }} as t_stat_deviate
    from tested
)

select
    cast(event_id as {{ dbt.type_string() }}) as event_id,
    cast(symbol as {{ dbt.type_string() }}) as symbol,
    event_date,
    t0_session_date,
    cast('carhart_four_factor' as {{ dbt.type_string() }}) as model,
    cast(window_start as integer) as window_start,
    cast(window_end as integer) as window_end,
    cast(window_days as integer) as window_days,
    case when result_status = 'computed' then round(raw_return, 12) end as raw_return,
    round(car, 12) as car,
    round(car_se, 12) as car_se,
    round(t_stat, 12) as t_stat,
    cast(residual_df as integer) as residual_df,
    round({{ normal_two_sided_p('t_stat_deviate') }}, 8) as p_value,
    round(car - {{ student_t_975('residual_df') }} * car_se, 10) as ci_low,
    round(car + {{ student_t_975('residual_df') }} * car_se, 10) as ci_high,
    round(alpha, 12) as alpha,
    round(beta_market, 12) as beta_market,
    round(beta_smb, 12) as beta_smb,
    round(beta_hml, 12) as beta_hml,
    round(beta_momentum, 12) as beta_momentum,
    round(residual_sd, 12) as residual_sd,
    cast(estimation_days as integer) as estimation_days,
    cast(estimation_sample as {{ dbt.type_string() }}) as estimation_sample,
    factors_last_date,
    cast(factor_file_vintage as {{ dbt.type_string() }}) as factor_file_vintage,
    cast(result_status as {{ dbt.type_string() }}) as result_status
from with_deviate
