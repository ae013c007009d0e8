-- Each chip's export-control status for China (incl. Hong Kong and Macau) and for Tier 2 countries, period by period:
-- the periods run between the dates any rule version took effect, was superseded or rescinded, and each row says which
-- versions were in force and the strictest status they give the chip (controlled > license_required > license_band >
-- unknown > not_controlled; not_applicable where only an HBM-stack rule applies). For any date d, the row with
-- period_start <= d < coalesce(period_end, d + 1) answers "what did the rules require for this chip that day".
-- A chip designed by a Chinese vendor (hq_country_iso3 CHN: Huawei's Ascend, Cambricon's MLU...) is not a US export
-- to China: for destination china its status is not_applicable, status_reason says so, and rule_statuses keeps what
-- the rules would give the same specs (the rules still bind it where it is made abroad, e.g. at TSMC, which is
-- outside this table's question).
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

, by_period as (
select
    chip_id,
    destination,
    period_start,
    period_end,
    case max(strictness)
        when 6 then 'controlled'
        when 5 then 'license_required'
        when 4 then 'license_band'
        when 3 then 'unknown'
        when 2 then 'not_controlled'
        else 'not_applicable'
    end as rules_status,
    {{ sorted_string_agg(dbt.concat(["rule_version", "'='", "status"]), "'; '") }} as rule_statuses,
    count(*) as rule_versions_in_force
from chip_status
group by chip_id, destination, period_start, period_end
)

select
    cast(by_period.chip_id as {{ dbt.type_string() }}) as chip_id,
    cast(by_period.destination as {{ dbt.type_string() }}) as destination,
    by_period.period_start,
    by_period.period_end,
    cast(case
        when by_period.destination = 'china' and chips.hq_country_iso3 = 'CHN' then 'not_applicable'
        else by_period.rules_status
    end as {{ dbt.type_string() }}) as status,
    cast(case
        when by_period.destination = 'china' and chips.hq_country_iso3 = 'CHN'
            then 'designed by a Chinese vendor and sold in China: not a US export'
        when by_period.rules_status = 'not_applicable' then 'only a rule on HBM stacks applies'
        when by_period.rules_status = 'unknown' then 'a figure a rule needs is missing'
        else 'the strictest status of the rule versions in force'
    end as {{ dbt.type_string() }}) as status_reason,
    cast(by_period.rule_statuses as {{ dbt.type_string() }}) as rule_statuses,
    cast(by_period.rule_versions_in_force as integer) as rule_versions_in_force
from by_period
left join {{ ref('int_accelerators_identified') }} as chips
    on chips.chip_id = by_period.chip_id
