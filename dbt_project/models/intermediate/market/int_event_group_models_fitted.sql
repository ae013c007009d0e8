-- The three expected-return models fitted to each group portfolio's own returns over the estimation window, on the
-- chosen estimation sample (macro fit_event_models, as for listings): its residual standard deviation carries the
-- members' cross-correlation, which a test assuming independent listings ignores.
with day_returns as (
    select event_id, group_id, relative_day, daily_return as r, benchmark_return as rm, in_other_event_window
    from {{ ref('int_event_group_portfolio_returns') }}
),

fits as (
    {{ fit_event_models('day_returns', ['event_id', 'group_id']) }}
)

select *
from fits
where estimation_sample = {{ chosen_estimation_sample() }}
    and estimation_days >= {{ var('min_estimation_days') }}
