-- The exact null distribution of Wilcoxon's signed-rank statistic W+ (the sum of the ranks of the positive values)
-- for n = 1..15: every one of the 2^n sign patterns of ranks 1..n is equally likely, so P(W+ = w) is the number of
-- subsets of {1..n} summing to w over 2^n. Enumerated: 15 binary columns cross-joined (32,768 patterns), each n
-- keeping the patterns with no rank above n. P(W+ <= w) per n. fct_event_family_reactions uses it for families of
-- up to 15 counted events and the normal approximation beyond. Checked against scipy by tests/test_event_families.py.
{%- set max_n = 15 %}
with patterns as (
    select {% for i in range(1, max_n + 1) %}b{{ i }}.bit as b{{ i }}{% if not loop.last %}, {% endif %}{% endfor %}
    from {% for i in range(1, max_n + 1) %}(select 0 as bit union all select 1 as bit) as b{{ i }}{% if not loop.last %}
    cross join {% endif %}{% endfor %}
),

n_values as (
    {{ integer_spine(max_n) }}
),

sums as (
    select
        n_values.n,
        {% for i in range(1, max_n + 1) %}case when {{ i }} <= n_values.n then {{ i }} * patterns.b{{ i }} else 0 end{% if not loop.last %}
        + {% endif %}{% endfor %} as w
    from n_values
    inner join patterns
        on {% for i in range(1, max_n + 1) %}(patterns.b{{ i }} = 0 or {{ i }} <= n_values.n){% if not loop.last %}
        and {% endif %}{% endfor %}
    where n_values.n >= 1
),

counts as (
    select n, w, count(*) as ways
    from sums
    group by n, w
)

select
    cast(n as integer) as n,
    cast(w as integer) as w,
    sum(ways) over (partition by n order by w rows between unbounded preceding and current row)
        / power(cast(2 as double), n) as cdf
from counts
