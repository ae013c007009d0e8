-- The binomial distribution with p = 1/2 (the sign test's null): P(X <= k) for n = 1..99 trials and k = 0..n.
-- C(n, k) / 2^n is built in logs, ln C(n, k) = sum over i = 1..k of ln((n - i + 1) / i), so no factorial overflows;
-- the cumulative sums run in k order. Checked against scipy.stats.binom by tests/test_event_families.py.
with n_values as (
    {{ integer_spine(99) }}
),

pairs as (
    select trials.n as n, successes.n as k
    from n_values as trials
    inner join n_values as successes
        on successes.n <= trials.n
    where trials.n >= 1
),

log_terms as (
    select n, k, case when k = 0 then cast(0 as double) else ln(cast(n - k + 1 as double) / k) end as log_term
    from pairs
),

log_pmf as (
    select
        n,
        k,
        sum(log_term) over (partition by n order by k rows between unbounded preceding and current row)
            - n * ln(cast(2 as double)) as log_pmf
    from log_terms
)

select
    cast(n as integer) as n,
    cast(k as integer) as k,
    least(cast(1 as double),
          sum(exp(log_pmf)) over (partition by n order by k rows between unbounded preceding and current row)) as cdf
from log_pmf
