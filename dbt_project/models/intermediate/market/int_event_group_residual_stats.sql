-- Per (event, group, model), from the members' own estimation-window abnormal returns (their residuals):
--   mean_pairwise_correlation: the mean of the members' pairwise residual correlations on the days every member has
--     one. With z the residuals standardized over those days, var(sum_i z_i) = N + N(N-1) rbar exactly, so rbar comes
--     from one pass over N series rather than N(N-1)/2 pairs (Kolari and Pynnonen 2010 use it to deflate BMP).
--   expected_positive_share: the mean over members of their share of positive estimation residuals (the generalized
--     sign test's p-hat, Cowan 1992).
with members as (
    select * from {{ ref('int_event_group_members_fitted') }}
),

residuals as (
    select
        members.event_id,
        members.group_id,
        members.model,
        members.symbol,
        days.trade_date,
        days.daily_return - (members.alpha + members.beta * days.benchmark_return) as residual
    from members
    inner join {{ ref('int_event_day_returns_joined') }} as days
        on days.event_id = members.event_id and days.symbol = members.symbol
    where days.relative_day between {{ var('estimation_window_start') }} and {{ var('estimation_window_end') }}
        and days.daily_return is not null
        and days.benchmark_return is not null
        {% if var('estimation_excludes_other_events') %}and not days.in_other_event_window{% endif %}
),

member_counts as (
    select event_id, group_id, model, count(*) as members
    from members
    group by event_id, group_id, model
),

positive_shares as (
    select event_id, group_id, model, avg(share_positive {{ in_order('symbol') }}) as expected_positive_share
    from (
        select
            event_id, group_id, model, symbol,
            avg(case when residual > 0 then cast(1 as double) else cast(0 as double) end {{ in_order('trade_date') }})
                as share_positive
        from residuals
        group by event_id, group_id, model, symbol
    ) as per_member
    group by event_id, group_id, model
),

common_days as (
    select counted.*, member_counts.members
    from (
        select
            residuals.*,
            count(*) over (partition by event_id, group_id, model, trade_date) as members_that_day
        from residuals
    ) as counted
    inner join member_counts
        on member_counts.event_id = counted.event_id
        and member_counts.group_id = counted.group_id
        and member_counts.model = counted.model
    where counted.members_that_day = member_counts.members
),

standardized as (
    select
        event_id, group_id, model, symbol, trade_date, members,
        (residual - avg(residual) over member_days) / nullif(stddev_samp(residual) over member_days, 0) as z
    from common_days
    -- one member's days, in date order (the sums then add up in the same order in every build)
    window member_days as (
        partition by event_id, group_id, model, symbol order by trade_date
        rows between unbounded preceding and unbounded following)
),

daily_sums as (
    select event_id, group_id, model, trade_date, max(members) as members, sum(z {{ in_order('symbol') }}) as z_sum
    from standardized
    group by event_id, group_id, model, trade_date
),

correlation as (
    select
        event_id, group_id, model,
        count(*) as correlation_days,
        (var_samp(z_sum {{ in_order('trade_date') }}) - max(members)) / nullif(max(members) * (max(members) - 1), 0) as mean_pairwise_correlation
    from daily_sums
    group by event_id, group_id, model
)

select
    member_counts.event_id,
    member_counts.group_id,
    member_counts.model,
    cast(member_counts.members as integer) as fitted_members,
    cast(coalesce(correlation.correlation_days, 0) as integer) as correlation_days,
    case when member_counts.members >= 2 and correlation.correlation_days >= 3
        then round(correlation.mean_pairwise_correlation, 12) end as mean_pairwise_correlation,
    round(positive_shares.expected_positive_share, 12) as expected_positive_share
from member_counts
left join correlation
    on correlation.event_id = member_counts.event_id
    and correlation.group_id = member_counts.group_id
    and correlation.model = member_counts.model
left join positive_shares
    on positive_shares.event_id = member_counts.event_id
    and positive_shares.group_id = member_counts.group_id
    and positive_shares.model = member_counts.model
