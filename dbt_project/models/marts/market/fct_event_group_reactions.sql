-- Group inference per (event, listing group, window, model). The portfolio test is the headline: the equal-weight
-- portfolio of the members gets its own model over the same estimation window, so its residual standard deviation
-- absorbs the members' cross-correlation (Brown and Warner 1980's "crude dependence adjustment"). Beside it: the
-- test that assumes independent listings (for comparison: it overstates significance when members co-move), the
-- standardized cross-sectional test of Boehmer, Musumeci and Poulsen (1991), its adjustment for the members' mean
-- residual correlation by Kolari and Pynnonen (2010), and the generalized sign test (Cowan 1992). The
-- cross-sectional tests need group_test_min_members members; below that they are null with the reason.
with portfolio_windows as (
    select
        event_id, group_id, model, window_start, window_end, window_days, days_with_returns,
        car as portfolio_car,
        benchmark_return_sum
    from (
        {{ event_window_sums(ref('int_event_group_abnormal_returns'), ['event_id', 'group_id']) }}
    ) as sums
),

portfolio_tested as (
    select
        portfolio_windows.*,
        fits.estimation_sample,
        fits.estimation_days,
        fits.residual_df,
        {{ car_standard_error('fits', 'portfolio_windows.window_days', 'portfolio_windows.benchmark_return_sum') }}
            as portfolio_car_se
    from portfolio_windows
    inner join {{ ref('int_event_group_models_fitted') }} as fits
        on fits.event_id = portfolio_windows.event_id
        and fits.group_id = portfolio_windows.group_id
        and fits.model = portfolio_windows.model
    where portfolio_windows.days_with_returns = portfolio_windows.window_days
),

member_windows as (
    select
        returns.event_id,
        members.group_id,
        returns.model,
        returns.window_start,
        returns.window_end,
        count(*) as members,
        avg(returns.car {{ in_order('returns.symbol') }}) as mean_car,
        sum(returns.car_se * returns.car_se {{ in_order('returns.symbol') }}) as sum_car_variance,
        avg(returns.car / returns.car_se {{ in_order('returns.symbol') }}) as mean_scar,
        stddev_samp(returns.car / returns.car_se {{ in_order('returns.symbol') }}) as sd_scar,
        sum(case when returns.car > 0 then 1 else 0 end) as positive_members
    from {{ ref('fct_event_returns', v=2) }} as returns
    -- the portfolio's members (int_event_group_portfolio_returns: those with a fitted market model), with a fitted
    -- model (not a market-adjusted CAR without an estimation window)
    inner join (
        select distinct event_id, group_id, symbol
        from {{ ref('int_event_group_members_fitted') }}
        where model = 'market_model'
    ) as members
        on members.event_id = returns.event_id and members.symbol = returns.symbol
    where returns.model_status = 'fitted'
    group by returns.event_id, members.group_id, returns.model, returns.window_start, returns.window_end
),

shared_t0 as (
    -- each other event once per group, however many members share its t0
    select
        pairs.event_id,
        pairs.group_id,
        {{ sorted_string_agg("pairs.other_event_id", "', '") }} as shares_t0_with
    from (
        select distinct near.event_id, members.group_id, near.other_event_id
        from {{ ref('int_event_overlaps') }} as near
        inner join {{ ref('stg_curated__listing_group_members') }} as members
            on members.symbol = near.symbol
        where near.relative_session = 0
    ) as pairs
    group by pairs.event_id, pairs.group_id
),

combined as (
    select
        portfolio_tested.*,
        member_windows.members,
        member_windows.mean_car,
        member_windows.sum_car_variance,
        member_windows.mean_scar,
        member_windows.sd_scar,
        member_windows.positive_members,
        stats.fitted_members,
        stats.mean_pairwise_correlation,
        stats.correlation_days,
        stats.expected_positive_share,
        portfolio_tested.portfolio_car / nullif(portfolio_tested.portfolio_car_se, 0) as portfolio_t,
        member_windows.mean_car / nullif(sqrt(member_windows.sum_car_variance) / member_windows.members, 0)
            as independence_t,
        case when member_windows.members >= {{ var('group_test_min_members') }}
            then member_windows.mean_scar * sqrt(member_windows.members) / nullif(member_windows.sd_scar, 0)
        end as bmp_t,
        case when member_windows.members >= {{ var('group_test_min_members') }}
            and stats.expected_positive_share > 0 and stats.expected_positive_share < 1
            then (member_windows.positive_members - member_windows.members * stats.expected_positive_share)
                / sqrt(member_windows.members * stats.expected_positive_share * (1 - stats.expected_positive_share))
        end as sign_test_z,
        shared_t0.shares_t0_with
    from portfolio_tested
    inner join member_windows
        on member_windows.event_id = portfolio_tested.event_id
        and member_windows.group_id = portfolio_tested.group_id
        and member_windows.model = portfolio_tested.model
        and member_windows.window_start = portfolio_tested.window_start
        and member_windows.window_end = portfolio_tested.window_end
    left join {{ ref('int_event_group_residual_stats') }} as stats
        on stats.event_id = portfolio_tested.event_id
        and stats.group_id = portfolio_tested.group_id
        and stats.model = portfolio_tested.model
    left join shared_t0
        on shared_t0.event_id = portfolio_tested.event_id
        and shared_t0.group_id = portfolio_tested.group_id
),

adjusted as (
    select
        combined.*,
        case when 1 + (combined.members - 1) * combined.mean_pairwise_correlation > 0
            and combined.mean_pairwise_correlation < 1
            then combined.bmp_t * sqrt((1 - combined.mean_pairwise_correlation)
                / (1 + (combined.members - 1) * combined.mean_pairwise_correlation))
        end as kp_t
    from combined
),

-- each t statistic as its normal deviate, one step before the p-values (macros/statistics.sql says why)
deviates as (
    select
        adjusted.*,
        {{ student_t_normal_deviate('adjusted.portfolio_t', 'adjusted.residual_df') }} as portfolio_t_deviate,
        {{ student_t_normal_deviate('adjusted.bmp_t', 'adjusted.members - 1') }} as bmp_t_deviate,
        {{ student_t_normal_deviate('adjusted.kp_t', 'adjusted.members - 1') }} as kp_t_deviate
    from adjusted
)
,

reactions as (
    select
        cast(event_id as {{ dbt.type_string() }}) as event_id,
        cast(group_id as {{ dbt.type_string() }}) as group_id,
        cast(model as {{ dbt.type_string() }}) as model,
        cast(window_start as integer) as window_start,
        cast(window_end as integer) as window_end,
        cast(window_days as integer) as window_days,
        cast(members as integer) as members,
        cast(fitted_members as integer) as portfolio_members,
        cast(estimation_sample as {{ dbt.type_string() }}) as estimation_sample,
        cast(estimation_days as integer) as estimation_days,
        round(mean_car, 12) as mean_car,
        round(portfolio_car, 12) as portfolio_car,
        round(portfolio_car_se, 12) as portfolio_car_se,
        round(portfolio_t, 12) as portfolio_t,
        cast(residual_df as integer) as df,
        round({{ normal_two_sided_p('portfolio_t_deviate') }}, 8) as p_value,
        round(portfolio_car - {{ student_t_975('residual_df') }} * portfolio_car_se, 10) as ci_low,
        round(portfolio_car + {{ student_t_975('residual_df') }} * portfolio_car_se, 10) as ci_high,
        round(independence_t, 12) as independence_t,
        round({{ normal_two_sided_p('independence_t') }}, 8) as independence_p_value,
        round(mean_pairwise_correlation, 12) as mean_pairwise_correlation,
        cast(correlation_days as integer) as correlation_days,
        round(bmp_t, 12) as bmp_t,
        round({{ normal_two_sided_p('bmp_t_deviate') }}, 8) as bmp_p_value,
        round(kp_t, 12) as kp_t,
        round({{ normal_two_sided_p('kp_t_deviate') }}, 8) as kp_p_value,
        cast(case
            when members < {{ var('group_test_min_members') }}
                then 'fewer than {{ var("group_test_min_members") }} members: the cross-sectional standard deviation of so few standardized CARs estimates nothing'
            when bmp_t is null then 'the standardized CARs do not vary across members'
            when kp_t is null then 'no mean residual correlation (members lack common estimation days)'
        end as {{ dbt.type_string() }}) as cross_sectional_null_reason,
        cast(positive_members as integer) as positive_members,
        round(expected_positive_share, 12) as expected_positive_share,
        round(sign_test_z, 12) as sign_test_z,
        round({{ normal_two_sided_p('sign_test_z') }}, 8) as sign_test_p_value,
        cast(case
            when members < {{ var('group_test_min_members') }}
                then 'fewer than {{ var("group_test_min_members") }} members: the normal approximation of the sign test does not hold'
            when sign_test_z is null then 'no estimation-window share of positive abnormal returns strictly between 0 and 1'
        end as {{ dbt.type_string() }}) as sign_test_null_reason,
        cast(shares_t0_with as {{ dbt.type_string() }}) as shares_t0_with
    from deviates
),

-- Benjamini-Hochberg q-values and Bonferroni p-values within each multiple-testing family, every event x group for one
-- model and window (macros/multiple_testing.sql)
ranked_p as (
    {{ multiple_testing_ranked('reactions', 'p_value', ['model', 'window_start', 'window_end'], ['event_id', 'group_id']) }}
),

multiple_tested as (
    {{ multiple_testing_adjusted('ranked_p', 'p_value', ['model', 'window_start', 'window_end']) }}
)

select
    multiple_tested.event_id,
    multiple_tested.group_id,
    multiple_tested.model,
    multiple_tested.window_start,
    multiple_tested.window_end,
    multiple_tested.window_days,
    multiple_tested.members,
    multiple_tested.portfolio_members,
    multiple_tested.estimation_sample,
    multiple_tested.estimation_days,
    multiple_tested.mean_car,
    multiple_tested.portfolio_car,
    multiple_tested.portfolio_car_se,
    multiple_tested.portfolio_t,
    multiple_tested.df,
    multiple_tested.p_value,
    multiple_tested.ci_low,
    multiple_tested.ci_high,
    multiple_tested.independence_t,
    multiple_tested.independence_p_value,
    multiple_tested.mean_pairwise_correlation,
    multiple_tested.correlation_days,
    multiple_tested.bmp_t,
    multiple_tested.bmp_p_value,
    multiple_tested.kp_t,
    multiple_tested.kp_p_value,
    multiple_tested.cross_sectional_null_reason,
    multiple_tested.positive_members,
    multiple_tested.expected_positive_share,
    multiple_tested.sign_test_z,
    multiple_tested.sign_test_p_value,
    multiple_tested.sign_test_null_reason,
    multiple_tested.shares_t0_with,
    round(multiple_tested.q_value, 10) as q_value,
    round(multiple_tested.p_bonferroni, 10) as p_bonferroni,
    cast({{ dbt.concat(["'fct_event_group_reactions, portfolio t test: every event x group for '", "multiple_tested.model",
                        "' ['", "cast(multiple_tested.window_start as " ~ dbt.type_string() ~ ")", "', '",
                        "cast(multiple_tested.window_end as " ~ dbt.type_string() ~ ")", "']'"]) }}
        as {{ dbt.type_string() }}) as multiple_testing_family,
    cast(multiple_tested.multiple_testing_tests as integer) as multiple_testing_tests
from multiple_tested
