-- Each GPU cluster record with its country's diffusion tier and the counting rules that keep a cluster from being
-- counted twice (documented on dim_ai_clusters):
--   * a possible duplicate (Epoch's flag: often a training run or benchmark on a cluster listed on its own) or a record
--     Epoch marks Exclude never counts;
--   * a record superseded by an upgrade (its `superseded_by` record, operational) stops counting in the year the
--     upgrade became operational: the upgrade's figures include the hardware it builds upon;
--   * existing compute counts from the year of its first operational date until the year it was decommissioned;
--     a decommissioned record without a decommissioning date, or an existing one without a first operational date,
--     cannot be placed in time and counts in no year;
--   * planned compute counts as an addition in its planned year, split by Epoch's certainty: a planned phase that a
--     later listed record supersedes does not count (the later one includes it), and a planned upgrade of a listed
--     record adds only what it adds (its H100e less the record it builds upon, never below zero).
with clusters as (
    select * from {{ ref('stg_epoch__gpu_clusters') }}
),

countries as (
    select iso3, country_name, diffusion_tier from {{ ref('int_countries_tiered') }} where is_country
),

names as (  -- each listed name, and the largest H100e recorded under it (the base an upgrade builds upon)
    select cluster_name, max(h100e) as h100e from clusters group by cluster_name
),

upgrades as (  -- when each named record that supersedes another became operational
    select cluster_name, cast(min(extract(year from first_operational_date)) as integer) as operational_year
    from clusters
    where status in ('existing', 'decommissioned') and first_operational_date is not null
    group by cluster_name
)

select
    clusters.cluster_key,
    clusters.cluster_name,
    clusters.status,
    clusters.certainty,
    clusters.single_cluster,
    clusters.country_iso3,
    coalesce(countries.country_name, clusters.country_name) as country_name,
    countries.diffusion_tier,
    clusters.owner,
    clusters.sector,
    clusters.chip_type_primary,
    clusters.chip_type_secondary,
    clusters.gpu_supplier_primary,
    case
        when lower(clusters.gpu_supplier_primary) in ('nvidia', 'amd', 'google', 'huawei')
            then lower(clusters.gpu_supplier_primary)
        when clusters.gpu_supplier_primary is null
            or lower(clusters.gpu_supplier_primary) in ('anonymized', 'unknown') then 'unknown'
        else 'other'
    end as supplier_group,
    clusters.cluster_name = 'Anonymized Chinese System'
        or lower(coalesce(clusters.gpu_supplier_primary, '')) = 'anonymized' as is_anonymised,
    clusters.h100e,
    clusters.power_mw,
    clusters.hardware_cost_usd,
    clusters.total_ai_chips,
    clusters.first_operational_date,
    clusters.first_operational_date_precision,
    clusters.decommissioned_date,
    clusters.planned_year,
    clusters.builds_upon,
    clusters.superseded_by,
    upgrades.operational_year as superseded_in_year,
    clusters.is_possible_duplicate,
    clusters.possible_duplicate_of,
    clusters.in_epoch_standard_analysis,
    clusters.is_excluded,
    not clusters.is_possible_duplicate and not clusters.is_excluded as counts_as_compute,
    case
        when clusters.status <> 'planned' then null
        when successors.cluster_name is not null then 0
        else greatest(clusters.h100e - coalesce(bases.h100e, 0), 0)
    end as planned_addition_h100e,
    case
        when clusters.is_excluded then 'Epoch marks the record Exclude'
        when clusters.is_possible_duplicate then {{ dbt.concat(["'possible duplicate of '",
                                                               "coalesce(clusters.possible_duplicate_of, 'another record')"]) }}
    end as not_counted_reason,
    case
        when clusters.status in ('existing', 'decommissioned') and clusters.first_operational_date is not null
            and (clusters.status = 'existing' or clusters.decommissioned_date is not null)
            then cast(extract(year from clusters.first_operational_date) as integer)
    end as counted_from_year,
    case
        when clusters.status = 'decommissioned' then cast(extract(year from clusters.decommissioned_date) as integer)
    end as decommissioned_year
from clusters
left join countries
    on countries.iso3 = clusters.country_iso3
left join upgrades
    on upgrades.cluster_name = clusters.superseded_by
left join names as successors
    on successors.cluster_name = clusters.superseded_by
left join names as bases
    on bases.cluster_name = clusters.builds_upon
