{#- Benjamini-Hochberg (1995) q-values and Bonferroni p-values of column `p`, within each multiple-testing family
    (the columns `partition_by`), in two steps, each the body of one CTE:
    multiple_testing_ranked adds multiple_testing_tests (m, the family's non-null p-values) and p_rank (1 for the
    smallest p; ties broken by `tie_break` so the order is fixed); multiple_testing_adjusted then adds q_value (the
    step-up minimum of p * m / rank over the ranks at or above this one) and p_bonferroni (p * m), both capped at 1
    and null where p is. Used by fct_event_group_reactions and fct_event_family_reactions. -#}
{% macro multiple_testing_ranked(relation, p, partition_by, tie_break) -%}
select
    {{ relation }}.*,
    count({{ p }}) over (partition by {{ partition_by | join(', ') }}) as multiple_testing_tests,
    case when {{ p }} is not null then row_number() over (
        partition by {{ partition_by | join(', ') }}, {{ p }} is not null
        order by {{ p }}, {{ tie_break | join(', ') }}) end as p_rank
from {{ relation }}
{%- endmacro %}

{% macro multiple_testing_adjusted(relation, p, partition_by) -%}
select
    {{ relation }}.*,
    case when {{ p }} is not null then least(cast(1 as double), min({{ p }} * multiple_testing_tests / p_rank) over (
        partition by {{ partition_by | join(', ') }}, {{ p }} is not null
        order by p_rank desc rows between unbounded preceding and current row)) end as q_value,
    case when {{ p }} is not null then least(cast(1 as double), {{ p }} * multiple_testing_tests) end as p_bonferroni
from {{ relation }}
{%- endmacro %}

{#- Every event reaction by subject, for the marts that compare or pool them: a listing group's equal-weight portfolio
    (subject_type group, fct_event_group_reactions; its t0 from its members, who share one calendar) or one listing
    (subject_type listing: fct_event_returns_v2's three models, and fct_event_factor_model_returns' four-factor model
    where it has a CAR), with the CAR, its standard error, df, p-value and t0. -#}
{% macro event_reactions_by_subject() -%}
select
    cast('group' as {{ dbt.type_string() }}) as subject_type,
    reactions.group_id as subject,
    reactions.event_id,
    reactions.model,
    reactions.window_start,
    reactions.window_end,
    reactions.portfolio_car as car,
    reactions.portfolio_car_se as car_se,
    reactions.df as residual_df,
    reactions.p_value,
    group_t0.t0_date
from {{ ref('fct_event_group_reactions') }} as reactions
left join (
    select event_id, group_id, max(t0_session_date) as t0_date
    from {{ ref('int_event_group_members_fitted') }}
    group by event_id, group_id
) as group_t0
    on group_t0.event_id = reactions.event_id
    and group_t0.group_id = reactions.group_id
union all
select
    cast('listing' as {{ dbt.type_string() }}) as subject_type,
    symbol as subject,
    event_id,
    model,
    window_start,
    window_end,
    car,
    car_se,
    residual_df,
    p_value,
    event_date as t0_date
from (
    select symbol, event_id, model, window_start, window_end, car, car_se, residual_df, p_value, event_date
    from {{ ref('fct_event_returns', v=2) }}
    union all
    select symbol, event_id, model, window_start, window_end, car, car_se, residual_df, p_value, event_date
    from {{ ref('fct_event_factor_model_returns') }}
    where result_status = 'computed'
) as listing_results
{%- endmacro %}

{#- fct_event_returns_v2's multiple testing: per row of `relation` (its keys event_id, symbol, model, window_start,
    window_end), the q-value and Bonferroni p of p_value within every event x listing of one model and window. -#}
{% macro listing_multiple_testing(relation) -%}
with tested as (
    select event_id, symbol, model, window_start, window_end, p_value from {{ relation }}
),

ranked_p as (
    {{ multiple_testing_ranked('tested', 'p_value', ['model', 'window_start', 'window_end'], ['event_id', 'symbol']) }}
),

multiple_tested as (
    {{ multiple_testing_adjusted('ranked_p', 'p_value', ['model', 'window_start', 'window_end']) }}
)

select
    event_id,
    symbol,
    model,
    window_start,
    window_end,
    round(q_value, 10) as q_value,
    round(p_bonferroni, 10) as p_bonferroni,
    cast({{ dbt.concat(["'fct_event_returns_v2, listing t test: every event x listing for '", "model", "' ['",
                        "cast(window_start as " ~ dbt.type_string() ~ ")", "', '",
                        "cast(window_end as " ~ dbt.type_string() ~ ")", "']'"]) }}
        as {{ dbt.type_string() }}) as multiple_testing_family,
    cast(multiple_testing_tests as integer) as multiple_testing_tests
from multiple_tested
{%- endmacro %}
