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

{% test chipwatch_between(model, column_name, min_value, max_value) %}
select {{ column_name }} from {{ model }}
where {{ column_name }} < {{ min_value }} or {{ column_name }} > {{ max_value }}
{% endtest %}

{#- Invariant: every reported CAR equals the sum of its window's daily abnormal returns. -#}
{% test chipwatch_car_equals_sum_of_ars(model) %}
select returns.event_id, returns.symbol, returns.window_start, returns.window_end
from {{ model }} as returns
inner join {{ ref('int_abnormal_returns_computed') }} as ar
    on ar.event_id = returns.event_id and ar.symbol = returns.symbol
    and ar.relative_day between returns.window_start and returns.window_end
group by returns.event_id, returns.symbol, returns.window_start, returns.window_end, returns.abnormal_return
having abs(sum(ar.abnormal_return) - returns.abnormal_return) > 1e-9
{% endtest %}

{#- Invariant: training and inference shares add up to 1 wherever a share is given. -#}
{% test chipwatch_shares_add_up(model) %}
select * from {{ model }}
where inference_share is not null and abs(inference_share + training_share - 1) > 1e-9
{% endtest %}
