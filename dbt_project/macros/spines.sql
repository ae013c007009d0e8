{#- Every integer year from `first_year` to `last_year` (SQL expressions), as a portable subquery body with one column
    `year`: two digits cross-joined (at most 100 years), no engine-specific series function. -#}
{% macro year_spine(first_year, last_year) %}
select {{ first_year }} + tens.n * 10 + ones.n as year
from ({% for i in range(10) %}select {{ i }} as n{% if not loop.last %} union all {% endif %}{% endfor %}) as tens
cross join ({% for i in range(10) %}select {{ i }} as n{% if not loop.last %} union all {% endif %}{% endfor %}) as ones
where {{ first_year }} + tens.n * 10 + ones.n <= {{ last_year }}
{% endmacro %}

{#- Every integer from 0 to `last` (at most 99), as a portable subquery body with one column `n`. -#}
{% macro integer_spine(last) %}
select tens.n * 10 + ones.n as n
from ({% for i in range(10) %}select {{ i }} as n{% if not loop.last %} union all {% endif %}{% endfor %}) as tens
cross join ({% for i in range(10) %}select {{ i }} as n{% if not loop.last %} union all {% endif %}{% endfor %}) as ones
where tens.n * 10 + ones.n <= {{ last }}
{% endmacro %}
