-- Each self-sufficiency target against the latest actual (non-forecast) figure of its metric: the gap in points and
-- the growth needed per year, from that figure's year to the target's, to reach it by its date — in points a year
-- and as a compound rate. Status: met; missed (an actual for the target year or later falls short); past_deadline
-- (the date has passed but no actual for it is published yet); open. latest_year is the as-of year of the gap: the
-- growth needed runs over the years actually left from it (2022's 18.2% to 2028 is six years, not the years since
-- today). A target no source confirms, or one whose own measure differs from the metric it is read against, keeps its
-- figures with gap_caveat saying so.
with actuals as (
    select metric, year, value, source_name
    from {{ ref('stg_curated__self_sufficiency_estimates') }}
    where not is_forecast and value is not null
),

latest as (
    select
        metric, year, value, source_name,
        row_number() over (partition by metric order by year desc, value desc) as recency
    from actuals
),

at_target_year as (
    select metric, year, max(value) as value from actuals group by metric, year
)

select
    cast(targets.target_id as {{ dbt.type_string() }}) as target_id,
    cast(targets.target_name as {{ dbt.type_string() }}) as target_name,
    cast(targets.metric as {{ dbt.type_string() }}) as metric,
    cast({{ self_sufficiency_metric_definition('targets.metric') }} as {{ dbt.type_string() }}) as metric_definition,
    targets.target_value,
    cast(targets.target_year as integer) as target_year,
    targets.is_confirmed,
    cast(latest.year as integer) as latest_year,
    latest.value as latest_value,
    cast(latest.source_name as {{ dbt.type_string() }}) as latest_source,
    at_target_year.value as value_in_target_year,
    round((targets.target_value - latest.value) * 100, 6) as gap_points,
    cast(targets.target_year - latest.year as integer) as years_left,
    case when targets.target_year > latest.year
        then round((targets.target_value - latest.value) * 100 / (targets.target_year - latest.year), 6)
    end as points_per_year_needed,
    case when targets.target_year > latest.year and latest.value > 0
        then round(power(targets.target_value / latest.value, 1.0 / (targets.target_year - latest.year)) - 1, 6)
    end as growth_per_year_needed,
    cast(case
        when latest.value is null then 'no_data'
        when coalesce(at_target_year.value, latest.value) >= targets.target_value then 'met'
        when targets.target_year <= latest.year then 'missed'
        when targets.target_year < extract(year from current_date) then 'past_deadline'
        else 'open'
    end as {{ dbt.type_string() }}) as status,
    cast(case
        when not targets.is_confirmed then 'unconfirmed target: no source confirms it exists; the gap is shown for orientation only, not as a measured shortfall'
    end as {{ dbt.type_string() }}) as gap_caveat,
    cast(targets.source_name as {{ dbt.type_string() }}) as source_name,
    cast(targets.source_url as {{ dbt.type_string() }}) as source_url,
    cast(targets.note as {{ dbt.type_string() }}) as note
from {{ ref('stg_curated__policy_targets') }} as targets
left join latest
    on latest.metric = targets.metric and latest.recency = 1
left join at_target_year
    on at_target_year.metric = targets.metric and at_target_year.year = targets.target_year
