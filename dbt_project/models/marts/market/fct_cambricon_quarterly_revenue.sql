-- Cambricon's (688256.SS) quarterly revenue and net profit (seed cambricon_quarterly_revenue), with the revenue of
-- the four quarters ending with each one and its growth on the four before: null, with the reason, unless all eight
-- quarters are in the seed.
with quarters as (
    select
        revenue.*,
        row_number() over (order by revenue.period_start) as quarter_number
    from {{ ref('stg_curated__cambricon_quarterly_revenue') }} as revenue
),

spans as (
    select
        quarters.*,
        sum(revenue_cny_m) over (order by quarter_number rows between 3 preceding and current row) as sum_4q,
        count(*) over (order by quarter_number rows between 3 preceding and current row) as quarters_4q,
        min(period_start) over (order by quarter_number rows between 3 preceding and current row) as first_start_4q
    from quarters
),

with_previous as (
    select
        spans.*,
        lag(sum_4q, 4) over (order by quarter_number) as previous_sum_4q,
        lag(quarters_4q, 4) over (order by quarter_number) as previous_quarters_4q,
        lag(first_start_4q, 4) over (order by quarter_number) as previous_first_start_4q
    from spans
)

select
    cast(period as {{ dbt.type_string() }}) as period,
    period_start,
    period_end,
    revenue_cny_m,
    reported_yoy_growth,
    net_profit_cny_m,
    is_derived,
    case when quarters_4q = 4 and {{ dbt.datediff('first_start_4q', 'period_start', 'month') }} = 9
        then sum_4q end as revenue_trailing_4q_cny_m,
    case
        when quarters_4q = 4 and previous_quarters_4q = 4
            and {{ dbt.datediff('previous_first_start_4q', 'period_start', 'month') }} = 21
            then sum_4q / nullif(previous_sum_4q, 0) - 1
    end as revenue_growth_trailing_4q,
    cast(case
        when quarters_4q < 4 or previous_quarters_4q is null or previous_quarters_4q < 4
            then 'fewer than eight quarters up to this one in the seed'
        when {{ dbt.datediff('previous_first_start_4q', 'period_start', 'month') }} <> 21
            then 'a quarter is missing between the two four-quarter spans'
    end as {{ dbt.type_string() }}) as growth_null_reason,
    cast(confidence as {{ dbt.type_string() }}) as confidence,
    cast(source_name as {{ dbt.type_string() }}) as source_name,
    cast(source_url as {{ dbt.type_string() }}) as source_url,
    cast(note as {{ dbt.type_string() }}) as note
from with_previous
