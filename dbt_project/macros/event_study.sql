{#- The event study's shared formulas: one fit for listings and group portfolios alike (docs/methodology.md, "The event study"). -#}

{#- The estimation sample the reported results use: every day of the estimation window, or (var
    estimation_excludes_other_events) the window without the days within one session of another event's t0. -#}
{% macro chosen_estimation_sample() -%}
'{{ "excluding_other_events" if var("estimation_excludes_other_events") else "all_days" }}'
{%- endmacro %}

{#- The three expected-return models, fitted in one pass over the estimation window of `day_returns` (columns: the
    `keys`, relative_day, r, rm, in_other_event_window) from the sufficient statistics regr_count/avgx/avgy/sxx/sxy/syy,
    for both estimation samples. One row per keys x estimation_sample x model:
      market_model     AR = r - (alpha + beta rm), OLS;            residual df n - 2
      market_adjusted  AR = r - rm (alpha 0, beta 1);              residual df n - 1 (sample variance of r - rm)
      constant_mean    AR = r - mean r (beta 0);                   residual df n - 1
    The first two use the days with both returns (n); the constant mean needs no benchmark and uses every day with the
    listing's own return, so it has a fit when the benchmark has no data.
    benchmark_mean and benchmark_sxx feed the prediction-error variance of a CAR (car_standard_error). -#}
{% macro fit_event_models(day_returns, keys) %}
{%- set key_list = keys | join(', ') -%}
select
    {{ key_list }},
    estimation_sample,
    model,
    case when model = 'constant_mean' then own_days else estimation_days end as estimation_days,
    residual_df,
    case model
        when 'market_model' then mean_r - slope * mean_rm
        when 'constant_mean' then own_mean_r
        else cast(0 as double)
    end as alpha,
    case model
        when 'market_model' then slope
        when 'market_adjusted' then cast(1 as double)
        else cast(0 as double)
    end as beta,
    sqrt(greatest(case model
        when 'market_model' then syy - sxy * slope
        when 'market_adjusted' then syy + sxx - 2 * sxy
        else own_syy
    end, cast(0 as double)) / nullif(residual_df, 0)) as residual_sd,
    mean_rm as benchmark_mean,
    sxx as benchmark_sxx
from (
    select
        by_sample.*,
        models.model,
        case
            when models.model = 'market_model' then estimation_days - 2
            when models.model = 'constant_mean' then own_days - 1
            else estimation_days - 1
        end as residual_df,
        sxy / nullif(sxx, 0) as slope
    from (
        select
            {{ key_list }},
            samples.estimation_sample,
            case when samples.estimation_sample = 'all_days' then n_all else n_clean end as estimation_days,
            case when samples.estimation_sample = 'all_days' then mean_r_all else mean_r_clean end as mean_r,
            case when samples.estimation_sample = 'all_days' then mean_rm_all else mean_rm_clean end as mean_rm,
            case when samples.estimation_sample = 'all_days' then sxx_all else sxx_clean end as sxx,
            case when samples.estimation_sample = 'all_days' then sxy_all else sxy_clean end as sxy,
            case when samples.estimation_sample = 'all_days' then syy_all else syy_clean end as syy,
            case when samples.estimation_sample = 'all_days' then own_n_all else own_n_clean end as own_days,
            case when samples.estimation_sample = 'all_days' then own_mean_all else own_mean_clean end as own_mean_r,
            case when samples.estimation_sample = 'all_days' then own_ss_all else own_ss_clean end as own_syy
        from (
            select
                {{ key_list }},
                cast(regr_count(r, rm) as integer) as n_all,
                regr_avgy(r, rm) as mean_r_all,
                regr_avgx(r, rm) as mean_rm_all,
                regr_sxx(r, rm) as sxx_all,
                regr_sxy(r, rm) as sxy_all,
                regr_syy(r, rm) as syy_all,
                cast(coalesce(regr_count(r, rm) filter (where not in_other_event_window), 0) as integer) as n_clean,
                regr_avgy(r, rm) filter (where not in_other_event_window) as mean_r_clean,
                regr_avgx(r, rm) filter (where not in_other_event_window) as mean_rm_clean,
                regr_sxx(r, rm) filter (where not in_other_event_window) as sxx_clean,
                regr_sxy(r, rm) filter (where not in_other_event_window) as sxy_clean,
                regr_syy(r, rm) filter (where not in_other_event_window) as syy_clean,
                cast(count(r) as integer) as own_n_all,
                avg(r) as own_mean_all,
                var_pop(r) * count(r) as own_ss_all,
                cast(coalesce(count(r) filter (where not in_other_event_window), 0) as integer) as own_n_clean,
                avg(r) filter (where not in_other_event_window) as own_mean_clean,
                var_pop(r) filter (where not in_other_event_window)
                    * count(r) filter (where not in_other_event_window) as own_ss_clean
            from {{ day_returns }}
            where relative_day between {{ var('estimation_window_start') }} and {{ var('estimation_window_end') }}
            group by {{ key_list }}
        ) as sums
        cross join (values ('all_days'), ('excluding_other_events')) as samples(estimation_sample)
    ) as by_sample
    cross join (values ('market_model'), ('market_adjusted'), ('constant_mean')) as models(model)
) as fits
{% endmacro %}

{#- Standard error of a CAR over `days` event-window days whose benchmark returns sum to `benchmark_sum`, with the
    prediction error of the estimated parameters (Campbell, Lo and MacKinlay 1997, sec. 4.4):
    var(CAR) = sigma^2 (L + L^2/n + (S - L mean_rm)^2 / sxx) for the market model, sigma^2 (L + L^2/n) for the
    constant mean, sigma^2 L for market-adjusted returns (nothing estimated). `fit` is the alias of a fitted row. -#}
{% macro car_standard_error(fit, days, benchmark_sum) -%}
({{ fit }}.residual_sd * sqrt(
    cast({{ days }} as double)
    + case when {{ fit }}.model = 'market_adjusted' then cast(0 as double)
        else cast({{ days }} as double) * {{ days }} / {{ fit }}.estimation_days end
    + case when {{ fit }}.model = 'market_model'
        then ({{ benchmark_sum }} - {{ days }} * {{ fit }}.benchmark_mean)
            * ({{ benchmark_sum }} - {{ days }} * {{ fit }}.benchmark_mean) / nullif({{ fit }}.benchmark_sxx, 0)
        else cast(0 as double) end
))
{%- endmacro %}

{#- Event days the study computes abnormal returns for: every event window and the CAR-path window. -#}
{% macro abnormal_return_span() -%}
select
    least({{ var('path_window_start') }}, min(window_start)) as first_day,
    greatest({{ var('path_window_end') }}, max(window_end)) as last_day
from {{ ref('event_windows') }}
{%- endmacro %}

{#- Per (entity, model, window of seed event_windows), the sums over the window's days of `abnormal_returns` (a
    relation with the `entity_columns`, model, relative_day, daily_return, benchmark_return and abnormal_return):
    the days that have an abnormal return, the CAR, the summed returns and benchmark returns (for standard errors and
    refits) and the compounded returns. A window is complete when days_with_returns = window_days. -#}
{% macro event_window_sums(abnormal_returns, entity_columns) %}
{%- set keys = entity_columns + ['model'] -%}
select
    {%- for key in keys %}
    ar.{{ key }},
    {%- endfor %}
    windows.window_start,
    windows.window_end,
    max(windows.window_end - windows.window_start + 1) as window_days,
    count(ar.abnormal_return) as days_with_returns,
    sum(ar.abnormal_return) as car,
    sum(ar.daily_return) as return_sum,
    sum(ar.benchmark_return) as benchmark_return_sum,
    {{ compound_return('ar.daily_return') }} as raw_return,
    {{ compound_return('ar.benchmark_return') }} as benchmark_return
from {{ abnormal_returns }} as ar
inner join {{ ref('event_windows') }} as windows
    on ar.relative_day between windows.window_start and windows.window_end
group by {% for key in keys %}ar.{{ key }}, {% endfor %}windows.window_start, windows.window_end
{% endmacro %}

{#- Per (event, listing, window of seed event_windows): the other events whose t0 on the listing falls inside the
    window, and those that share its t0 (comma-separated, sorted). -#}
{% macro other_events_by_window() %}
select
    pairs.event_id,
    pairs.symbol,
    windows.window_start,
    windows.window_end,
    {{ sorted_string_agg("pairs.other_event_id", "', '") }} as other_events_in_window,
    {{ sorted_string_agg("case when pairs.relative_session = 0 then pairs.other_event_id end", "', '") }}
        as shares_t0_with
from {{ ref('int_event_overlaps') }} as pairs
inner join {{ ref('event_windows') }} as windows
    on pairs.relative_session between windows.window_start and windows.window_end
group by pairs.event_id, pairs.symbol, windows.window_start, windows.window_end
{% endmacro %}

{#- Event days the study reads: from the start of the estimation window to the end of the longest event or path window. -#}
{% macro study_span() -%}
select
    least({{ var('estimation_window_start') }}, {{ var('path_window_start') }}, min(window_start)) as first_day,
    greatest({{ var('path_window_end') }}, max(window_end)) as last_day
from {{ ref('event_windows') }}
{%- endmacro %}

{#- The abnormal return of a day under a fitted model: r - (alpha + beta r_m), or r - alpha under the constant mean,
    which needs no benchmark return (a day without one still has an abnormal return). -#}
{% macro abnormal_return(model, alpha, beta, r, rm) -%}
case
    when {{ model }} = 'constant_mean' then {{ r }} - {{ alpha }}
    else {{ r }} - ({{ alpha }} + {{ beta }} * {{ rm }})
end
{%- endmacro %}
