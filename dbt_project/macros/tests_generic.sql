{#- Generic data tests (dbt_utils cannot be installed here: the dbt package hub is unreachable). -#}

{% test chipwatch_positive(model, column_name) %}
select {{ column_name }} from {{ model }} where {{ column_name }} <= 0
{% endtest %}

{% test chipwatch_unique_combination(model, columns) %}
select {{ columns | join(', ') }}, count(*) as n
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}

{#- (symbol, trade_date) is unique in a table appended from int_daily_returns_indexed (fct_daily_returns), checked
    from each symbol's first day this build rebuilt: every build deletes from that day before appending, and the rows
    before it are the ones an earlier build checked (a full build rebuilds every day, so checks every row). Run
    outside a build that rebuilt days (`dbt test` alone), it checks every row. -#}
{% test chipwatch_unique_rebuilt_daily_rows(model) %}
with rebuilt_from as (
    select symbol, min(trade_date) as first_rebuilt_day
    from {{ ref('int_daily_returns_indexed') }}
    where built_in_invocation_id = '{{ invocation_id }}'
    group by symbol
),

checked as (
    select rows_.symbol, rows_.trade_date
    from {{ model }} as rows_
    cross join (select count(*) as symbols_rebuilt from rebuilt_from) as this_build
    left join rebuilt_from on rebuilt_from.symbol = rows_.symbol
    where this_build.symbols_rebuilt = 0 or rows_.trade_date >= rebuilt_from.first_rebuilt_day
)

select symbol, trade_date, count(*) as n
from checked
group by symbol, trade_date
having count(*) > 1
{% endtest %}

{% test chipwatch_between(model, column_name, min_value, max_value) %}
select {{ column_name }} from {{ model }}
where {{ column_name }} < {{ min_value }} or {{ column_name }} > {{ max_value }}
{% endtest %}

{#- Invariant: every reported CAR equals the sum of its window's daily abnormal returns (per model), checked on the
    pairs this build computed (int_event_pairs_to_build: all of them in a full build; in an incremental one the
    others, and their inputs, are as the build that checked them left them). -#}
{% test chipwatch_car_equals_sum_of_ars(model) %}
with built_ars as (
    select ar.event_id, ar.symbol, ar.model, ar.relative_day, ar.abnormal_return
    from {{ ref('int_abnormal_returns_computed') }} as ar
    inner join {{ ref('int_event_pairs_to_build') }} as built
        on built.event_id = ar.event_id and built.symbol = ar.symbol
),

window_sums as (
    select
        built_ars.event_id, built_ars.symbol, built_ars.model, windows.window_start, windows.window_end,
        sum(built_ars.abnormal_return) as ar_sum
    from built_ars
    inner join {{ ref('event_windows') }} as windows
        on built_ars.relative_day between windows.window_start and windows.window_end
    group by built_ars.event_id, built_ars.symbol, built_ars.model, windows.window_start, windows.window_end
)

select returns.event_id, returns.symbol, returns.model, returns.window_start, returns.window_end
from {{ model }} as returns
inner join window_sums
    on window_sums.event_id = returns.event_id
    and window_sums.symbol = returns.symbol
    and window_sums.model = returns.model
    and window_sums.window_start = returns.window_start
    and window_sums.window_end = returns.window_end
where abs(window_sums.ar_sum - returns.car) > 1e-9
{% endtest %}

{#- Invariant: training and inference shares add up to 1 wherever a share is given. -#}
{% test chipwatch_shares_add_up(model) %}
select * from {{ model }}
where inference_share is not null and abs(inference_share + training_share - 1) > 1e-9
{% endtest %}

{#- A pinned fact: the rows matching row_filter exist, and each has the expected value in column (a number compares
    to 1e-9, anything else exactly). Fails when no row matches, so a renamed key cannot pass it silently. note says
    where the expected value comes from. -#}
{% test chipwatch_expect_value(model, row_filter, column, expected, note='') %}
{%- set is_number = expected is number and expected is not boolean -%}
with matched as (
    select {{ column }} as actual from {{ model }} where {{ row_filter }}
),
problems as (
    select 'no row matches the filter' as problem, count(*) as n from matched having count(*) = 0
    union all
    select 'value differs from the expected one' as problem, count(*) as n from matched
    where actual is null or
    {%- if is_number %} abs(cast(actual as double) - {{ expected }}) > 1e-9
    {%- elif expected is boolean %} actual <> {{ 'true' if expected else 'false' }}
    {%- else %} cast(actual as {{ dbt.type_string() }}) <> '{{ expected }}'
    {%- endif %}
    having count(*) > 0
)
select * from problems
{% endtest %}

{#- No row may meet condition (a SQL predicate over the model's columns); note says what the rule is. -#}
{% test chipwatch_no_rows(model, condition, note='') %}
select * from {{ model }} where {{ condition }}
{% endtest %}
