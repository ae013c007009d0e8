-- Each chip's export-control status for China (incl. Hong Kong and Macau) and for Tier 2 countries, period by period:
-- the periods run between the dates any rule version took effect, was superseded or rescinded, and each row says which
-- versions were in force and the strictest status they give the chip (controlled > license_required > license_band >
-- unknown > not_controlled; not_applicable where only an HBM-stack rule applies). For any date d, the row with
-- period_start <= d < coalesce(period_end, d + 1) answers "what did the rules require for this chip that day".
with boundaries as (
    select in_force_from as boundary_on from {{ ref('stg_curated__export_control_rules') }}
    union
    select in_force_until as boundary_on from {{ ref('stg_curated__export_control_rules') }}
    where in_force_until is not null
),

periods as (
    select
        boundary_on as period_start,
        lead(boundary_on) over (order by boundary_on) as period_end
    from boundaries
),

versions as (
    select distinct rule_version, destination, in_force_from, in_force_until
    from {{ ref('stg_curated__export_control_rules') }}
),

in_force as (
    select
        periods.period_start,
        periods.period_end,
        versions.destination,
        versions.rule_version
    from periods
    inner join versions
        on versions.in_force_from <= periods.period_start
        and (versions.in_force_until is null or versions.in_force_until > periods.period_start)
),

chip_status as (
    select
        in_force.period_start,
        in_force.period_end,
        in_force.destination,
        classified.chip_id,
        in_force.rule_version,
        classified.status,
        case classified.status
            when 'controlled' then 6
            when 'license_required' then 5
            when 'license_band' then 4
            when 'unknown' then 3
            when 'not_controlled' then 2
            else 1
        end as strictness
    from in_force
    inner join {{ ref('int_accelerators_classified') }} as classified
        on classified.rule_version = in_force.rule_version
)

select
    cast(chip_id as {{ dbt.type_string() }}) as chip_id,
    cast(destination as {{ dbt.type_string() }}) as destination,
    period_start,
    period_end,
    cast(case max(strictness)
        when 6 then 'controlled'
        when 5 then 'license_required'
        when 4 then 'license_band'
        when 3 then 'unknown'
        when 2 then 'not_controlled'
        else 'not_applicable'
    end as {{ dbt.type_string() }}) as status,
    cast({{ sorted_string_agg(dbt.concat(["rule_version", "'='", "status"]), "'; '") }} as {{ dbt.type_string() }}) as rule_statuses,
    cast(count(*) as integer) as rule_versions_in_force
from chip_status
group by chip_id, destination, period_start, period_end
