-- Reactions pooled across the events of one family (seed event_families), per (family, subject, model, window): the
-- subject is a listing group's equal-weight portfolio (fct_event_group_reactions) or one listing
-- (fct_event_returns_v2, and for US listings fct_event_factor_model_returns). Every event of the family is either counted or listed as excluded with the reason: no
-- result for this subject, model and window, or the same t0 as an earlier event of the family on the subject's
-- calendar (one market move, counted once). Over the counted events: the mean CAR (caar) with two standard errors,
-- one from the events' own CAR standard errors (independent events; df the smallest of theirs) and one from the
-- CARs' dispersion across events (df events - 1); a Student t, p-value and 95% interval for each; an exact binomial
-- sign test of the CARs' signs against one half and Wilcoxon's signed-rank test of the CARs (exact up to
-- 15 events, the normal approximation beyond); the events whose windows overlap. Benjamini-Hochberg q-values and
-- Bonferroni p-values adjust the across-events p-value within the tests of one subject type, model and window
-- (multiple_testing_family), so that anyone can recompute them. Every row comes twice: with the events whose window
-- holds the subject's own news (seed company_news; a group's members') counted (confounded_events 'included'), and
-- with them left out ('excluded', each named in events_excluded with its news).
{%- set signed_rank_exact_max_n = 15 %}  {#- the largest n of int_signed_rank_null_cdf #}
with families as (
    select families.event_id, families.event_family, events.announced_at
    from {{ ref('stg_curated__event_families') }} as families
    inner join {{ ref('stg_curated__events') }} as events
        on events.event_id = families.event_id
),

-- the results with a standard error (market-adjusted CARs of a listing without an estimation window have none)
results as (
    select * from ({{ event_reactions_by_subject() }}) as reactions where car_se is not null
),

-- each subject with the models that give it a result for some event (the four-factor model: US listings only)
subject_models as (
    select distinct subject_type, subject, model from results
),

windows as (
    select distinct window_start, window_end from results
),

-- the subject's own news whose first reaction may fall in an event's window (int_event_news_in_windows); a group's is
-- its members' (those of its portfolio), each item named with its member
subject_news as (
    select
        cast('listing' as {{ dbt.type_string() }}) as subject_type,
        symbol as subject,
        event_id,
        window_start,
        window_end,
        confounded_by
    from {{ ref('int_event_news_in_windows') }}
    union all
    -- a member's news placed on the portfolio's own dates (event time counts every date some member traded)
    select
        cast('group' as {{ dbt.type_string() }}) as subject_type,
        members.group_id as subject,
        members.event_id,
        windows.window_start,
        windows.window_end,
        {{ sorted_string_agg(dbt.concat(["members.symbol", "' '", "news.news_label"]), "' | '") }} as confounded_by
    from (
        select distinct event_id, group_id, symbol
        from {{ ref('int_event_group_members_fitted') }}
        where model = 'market_model'
    ) as members
    inner join {{ ref('int_company_news_reactions') }} as news
        on news.symbol = members.symbol
    inner join {{ ref('int_event_group_portfolio_returns') }} as first_day
        on first_day.event_id = members.event_id
        and first_day.group_id = members.group_id
        and first_day.trade_date = news.first_reaction_date
    inner join {{ ref('int_event_group_portfolio_returns') }} as last_day
        on last_day.event_id = members.event_id
        and last_day.group_id = members.group_id
        and last_day.trade_date = news.last_reaction_date
    inner join {{ ref('event_windows') }} as windows
        on first_day.relative_day <= windows.window_end
        and last_day.relative_day >= windows.window_start
    group by members.group_id, members.event_id, windows.window_start, windows.window_end
),

-- every event of every family for every subject, model and window, with its result where there is one, twice: with
-- the events the subject's own news may confound counted (confounded_events 'included') and left out ('excluded')
candidates as (
    select
        families.event_family,
        rules.confounded_events,
        subject_models.subject_type,
        subject_models.subject,
        subject_models.model,
        windows.window_start,
        windows.window_end,
        families.event_id,
        families.announced_at,
        results.car,
        results.car_se,
        results.residual_df,
        results.t0_date,
        news.confounded_by,
        results.car is not null
            and not (rules.confounded_events = 'excluded' and news.confounded_by is not null) as has_result
    from families
    cross join subject_models
    cross join windows
    cross join (values ('included'), ('excluded')) as rules(confounded_events)
    left join subject_news as news
        on news.subject_type = subject_models.subject_type
        and news.subject = subject_models.subject
        and news.event_id = families.event_id
        and news.window_start = windows.window_start
        and news.window_end = windows.window_end
    left join results
        on results.subject_type = subject_models.subject_type
        and results.subject = subject_models.subject
        and results.model = subject_models.model
        and results.window_start = windows.window_start
        and results.window_end = windows.window_end
        and results.event_id = families.event_id
),

ranked as (  -- among the events with a result (not confounded, when those are left out), the first announced on each t0 counts
    select
        candidates.*,
        case when candidates.has_result then row_number() over (
            partition by candidates.event_family, candidates.confounded_events, candidates.subject_type,
                candidates.subject, candidates.model, candidates.window_start, candidates.window_end,
                candidates.has_result, candidates.t0_date
            order by candidates.announced_at, candidates.event_id) end as t0_rank,
        first_value(candidates.event_id) over (
            partition by candidates.event_family, candidates.confounded_events, candidates.subject_type,
                candidates.subject, candidates.model, candidates.window_start, candidates.window_end,
                candidates.has_result, candidates.t0_date
            order by candidates.announced_at, candidates.event_id
            rows between unbounded preceding and unbounded following) as first_on_t0
    from candidates
),

classified as (
    select
        ranked.*,
        ranked.t0_rank = 1 as is_included,
        case
            when ranked.car is null
                then 'no result for this subject, model and window (no fitted model, a window day without returns, or no estimation window)'
            when not ranked.has_result
                then {{ dbt.concat(["'confounded by own news: '", "ranked.confounded_by"]) }}
            when ranked.t0_rank > 1
                then {{ dbt.concat(["'same t0 ('", "cast(ranked.t0_date as " ~ dbt.type_string() ~ ")",
                                    "') as '", "ranked.first_on_t0", "': one market move, counted once'"]) }}
        end as exclusion_reason
    from ranked
),

session_gaps as (  -- sessions between two events' t0 on a listing, or on a group's calendar
    select
        cast('listing' as {{ dbt.type_string() }}) as subject_type,
        symbol as subject,
        event_id,
        other_event_id,
        sessions_apart
    from {{ ref('int_event_overlaps') }}
    union all
    select
        cast('group' as {{ dbt.type_string() }}) as subject_type,
        members.group_id as subject,
        near.event_id,
        near.other_event_id,
        min(near.sessions_apart) as sessions_apart
    from {{ ref('int_event_overlaps') }} as near
    inner join {{ ref('stg_curated__listing_group_members') }} as members
        on members.symbol = near.symbol
    group by members.group_id, near.event_id, near.other_event_id
),

ranked_magnitudes as (  -- for the signed-rank test: each counted event's rank by |CAR| among the counted events
    select
        classified.*,
        case when classified.is_included then rank() over (
            partition by classified.event_family, classified.confounded_events, classified.subject_type,
                classified.subject, classified.model, classified.window_start, classified.window_end,
                classified.is_included
            order by abs(classified.car)) end as magnitude_rank
    from classified
),

overlapping as (  -- counted events whose windows overlap another counted event's: t0s at most the window's span apart
    select
        included.event_family, included.confounded_events, included.subject_type, included.subject, included.model,
        included.window_start, included.window_end,
        {{ sorted_string_agg(dbt.concat(["included.event_id", "' & '", "other.event_id"]), "'; '") }}
            as overlapping_windows
    from classified as included
    inner join session_gaps as gaps
        on gaps.subject_type = included.subject_type
        and gaps.subject = included.subject
        and gaps.event_id = included.event_id
    inner join classified as other
        on other.event_family = included.event_family
        and other.confounded_events = included.confounded_events
        and other.subject_type = included.subject_type
        and other.subject = included.subject
        and other.model = included.model
        and other.window_start = included.window_start
        and other.window_end = included.window_end
        and other.event_id = gaps.other_event_id
    where included.is_included and other.is_included
        and included.event_id < other.event_id
        and gaps.sessions_apart <= included.window_end - included.window_start
    group by included.event_family, included.confounded_events, included.subject_type, included.subject,
        included.model, included.window_start, included.window_end
),

pooled as (
    select
        event_family, confounded_events, subject_type, subject, model, window_start, window_end,
        count(*) as family_events,
        sum(case when is_included then 1 else 0 end) as events,
        {{ sorted_string_agg("case when is_included then event_id end", "', '") }} as events_included,
        {{ sorted_string_agg(dbt.concat(["event_id", "': '", "exclusion_reason"]), "'; '") }} as events_excluded,
        avg(case when is_included then car end {{ in_order('event_id') }}) as caar,
        sqrt(sum(case when is_included then car_se * car_se end {{ in_order('event_id') }})) as root_sum_car_variance,
        min(case when is_included then residual_df end) as df_from_events,
        stddev_samp(case when is_included then car end {{ in_order('event_id') }}) as car_sd_across_events,
        sum(case when is_included and car > 0 then 1 else 0 end) as positive_events,
        sum(case when is_included and car > 0 then magnitude_rank else 0 end) as signed_rank_statistic
    from ranked_magnitudes
    group by event_family, confounded_events, subject_type, subject, model, window_start, window_end
),

tested as (
    select
        pooled.*,
        pooled.root_sum_car_variance / nullif(pooled.events, 0) as caar_se_from_events,
        case when pooled.events >= 2 then pooled.car_sd_across_events / sqrt(pooled.events) end
            as caar_se_across_events,
        case when pooled.events >= 2 then pooled.events - 1 end as df_across_events,
        case when pooled.events > {{ signed_rank_exact_max_n }} then
            {{ signed_rank_normal_z('pooled.signed_rank_statistic', 'pooled.events') }}
        end as signed_rank_z
    from pooled
),

with_t as (
    select
        tested.*,
        tested.caar / nullif(tested.caar_se_from_events, 0) as t_from_events,
        tested.caar / nullif(tested.caar_se_across_events, 0) as t_across_events
    from tested
),

-- each t as its normal deviate (df >= 9) and its angle (df 1 to 8), one step before the p-values
with_deviates as (
    select
        with_t.*,
        {{ student_t_normal_deviate('with_t.t_from_events', 'with_t.df_from_events') }} as from_events_deviate,
        {{ student_t_theta('with_t.t_from_events', 'with_t.df_from_events') }} as from_events_theta,
        {{ student_t_normal_deviate('with_t.t_across_events', 'with_t.df_across_events') }} as across_events_deviate,
        {{ student_t_theta('with_t.t_across_events', 'with_t.df_across_events') }} as across_events_theta
    from with_t
),

with_p as (
    select
        with_deviates.*,
        {{ student_t_two_sided_p('from_events_deviate', 'from_events_theta', 'df_from_events') }}
            as p_value_from_events,
        {{ student_t_two_sided_p('across_events_deviate', 'across_events_theta', 'df_across_events') }}
            as p_value_across_events,
        case when with_deviates.events >= 1 then least(cast(1 as double), 2 * signs.cdf) end as sign_test_p_value,
        case
            when with_deviates.events > {{ signed_rank_exact_max_n }} then {{ normal_two_sided_p('with_deviates.signed_rank_z') }}
            when with_deviates.events >= 1 then least(cast(1 as double), 2 * ranks.cdf)
        end as rank_test_p_value
    from with_deviates
    left join {{ ref('int_binomial_half_cdf') }} as signs
        on signs.n = with_deviates.events
        and signs.k = least(with_deviates.positive_events, with_deviates.events - with_deviates.positive_events)
    left join {{ ref('int_signed_rank_null_cdf') }} as ranks  -- W+ and its mirror n(n+1)/2 - W+: the nearer tail
        on ranks.n = with_deviates.events
        and ranks.w = least(with_deviates.signed_rank_statistic,
                            with_deviates.events * (with_deviates.events + 1) / 2 - with_deviates.signed_rank_statistic)
),

-- Benjamini-Hochberg q-values and Bonferroni p-values within each multiple-testing family (macros/multiple_testing.sql)
ranked_p as (
    {{ multiple_testing_ranked('with_p', 'p_value_across_events',
                               ['confounded_events', 'subject_type', 'model', 'window_start', 'window_end'],
                               ['event_family', 'subject']) }}
),

adjusted as (
    {{ multiple_testing_adjusted('ranked_p', 'p_value_across_events',
                                 ['confounded_events', 'subject_type', 'model', 'window_start', 'window_end']) }}
)

select
    cast(adjusted.event_family as {{ dbt.type_string() }}) as event_family,
    cast(adjusted.confounded_events as {{ dbt.type_string() }}) as confounded_events,
    cast(adjusted.subject_type as {{ dbt.type_string() }}) as subject_type,
    cast(adjusted.subject as {{ dbt.type_string() }}) as subject,
    cast(adjusted.model as {{ dbt.type_string() }}) as model,
    cast(adjusted.window_start as integer) as window_start,
    cast(adjusted.window_end as integer) as window_end,
    cast(adjusted.family_events as integer) as family_events,
    cast(adjusted.events as integer) as events,
    cast(adjusted.events_included as {{ dbt.type_string() }}) as events_included,
    cast(adjusted.events_excluded as {{ dbt.type_string() }}) as events_excluded,
    round(adjusted.caar, 12) as caar,
    round(adjusted.caar_se_from_events, 12) as caar_se_from_events,
    round(adjusted.t_from_events, 12) as t_from_events,
    cast(adjusted.df_from_events as integer) as df_from_events,
    round(adjusted.p_value_from_events, 10) as p_value_from_events,
    round(adjusted.caar - {{ student_t_975('adjusted.df_from_events') }} * adjusted.caar_se_from_events, 10)
        as ci_low_from_events,
    round(adjusted.caar + {{ student_t_975('adjusted.df_from_events') }} * adjusted.caar_se_from_events, 10)
        as ci_high_from_events,
    round(adjusted.caar_se_across_events, 12) as caar_se_across_events,
    round(adjusted.t_across_events, 12) as t_across_events,
    cast(adjusted.df_across_events as integer) as df_across_events,
    round(adjusted.p_value_across_events, 10) as p_value_across_events,
    round(adjusted.caar - {{ student_t_975('adjusted.df_across_events') }} * adjusted.caar_se_across_events, 10)
        as ci_low_across_events,
    round(adjusted.caar + {{ student_t_975('adjusted.df_across_events') }} * adjusted.caar_se_across_events, 10)
        as ci_high_across_events,
    cast(case
        when adjusted.events = 0 then 'no event of the family has a result for this subject, model and window'
        when adjusted.events = 1 then 'one event: no dispersion across events to measure'
        when adjusted.caar_se_across_events = 0 then 'the CARs do not vary across events'
    end as {{ dbt.type_string() }}) as across_events_null_reason,
    cast(adjusted.positive_events as integer) as positive_events,
    round(adjusted.sign_test_p_value, 10) as sign_test_p_value,
    cast(adjusted.signed_rank_statistic as integer) as signed_rank_statistic,
    round(adjusted.rank_test_p_value, 10) as rank_test_p_value,
    cast(case
        when adjusted.events > {{ signed_rank_exact_max_n }}
            then 'Wilcoxon signed-rank test of the CARs, normal approximation'
        when adjusted.events >= 1 then 'Wilcoxon signed-rank test of the CARs, exact'
    end as {{ dbt.type_string() }}) as rank_test,
    round(adjusted.q_value, 10) as q_value,
    round(adjusted.p_bonferroni, 10) as p_bonferroni,
    cast({{ dbt.concat(["'fct_event_family_reactions, across-events t test: every family x '", "adjusted.subject_type",
                        "', confounded events '", "adjusted.confounded_events", "', for '", "adjusted.model", "' ['", "cast(adjusted.window_start as " ~ dbt.type_string() ~ ")",
                        "', '", "cast(adjusted.window_end as " ~ dbt.type_string() ~ ")", "']'"]) }}
        as {{ dbt.type_string() }}) as multiple_testing_family,
    cast(adjusted.multiple_testing_tests as integer) as multiple_testing_tests,
    cast(overlapping.overlapping_windows as {{ dbt.type_string() }}) as overlapping_windows
from adjusted
left join overlapping
    on overlapping.event_family = adjusted.event_family
    and overlapping.confounded_events = adjusted.confounded_events
    and overlapping.subject_type = adjusted.subject_type
    and overlapping.subject = adjusted.subject
    and overlapping.model = adjusted.model
    and overlapping.window_start = adjusted.window_start
    and overlapping.window_end = adjusted.window_end
