-- AI compute per country, per diffusion tier and for the world, per year: what existed at the year's end (the
-- current year: as of the build) and what is planned to come online that year, from Epoch's GPU clusters with the
-- counting rules of int_ai_clusters_counted (no duplicate, no superseded phase, nothing decommissioned). Epoch covers
-- an estimated 10-20% of the world's AI compute (its own disclaimer), so these are the known clusters, not totals.
with clusters as (
    select
        *,
        coalesce(country_iso3, 'unknown') as geography_code,
        coalesce(cast(diffusion_tier as {{ dbt.type_string() }}), 'none') as tier_code
    from {{ ref('int_ai_clusters_counted') }}
    where counts_as_compute
),

years as (
    {{ year_spine(var('compute_first_year'),
                  "(select greatest(cast(extract(year from current_date) as integer), coalesce(max(planned_year), 0))
                    from " ~ ref('int_ai_clusters_counted') ~ ")") }}
),

cluster_years as (  -- each counted cluster in each year it exists at the year's end, or is planned to arrive
    select
        clusters.geography_code,
        clusters.country_name,
        clusters.diffusion_tier,
        clusters.tier_code,
        years.year,
        case when clusters.counted_from_year <= years.year
                  and (clusters.decommissioned_year is null or clusters.decommissioned_year > years.year)
                  and (clusters.superseded_in_year is null or clusters.superseded_in_year > years.year)
             then 1 else 0 end as is_existing,
        case when clusters.status = 'planned' and clusters.planned_year = years.year then 1 else 0 end as is_planned,
        clusters.certainty,
        clusters.supplier_group,
        clusters.h100e,
        clusters.planned_addition_h100e,
        clusters.power_mw
    from clusters
    cross join years
),

by_geography as (
    {% for level in ['country', 'tier', 'world'] %}
    select
        '{{ level }}' as geography_level,
        {% if level == 'country' %}geography_code{% elif level == 'tier' %}{{ dbt.concat(["'tier_'", "tier_code"]) }}{% else %}'world'{% endif %} as geography_code,
        {% if level == 'country' %}max(case when geography_code = 'unknown' then 'Country not stated or not recognised' else country_name end){% elif level == 'tier' %}max(case when diffusion_tier is null then 'No country stated or recognised' else {{ dbt.concat(["'Tier '", "tier_code"]) }} end){% else %}'World'{% endif %} as geography_name,
        {% if level == 'world' %}cast(null as integer){% else %}max(diffusion_tier){% endif %} as diffusion_tier,
        year,
        sum(is_existing) as existing_clusters,
        sum(case when is_existing = 1 then h100e else 0 end) as existing_h100e,
        sum(case when is_existing = 1 then power_mw else 0 end) as existing_power_mw,
        sum(case when is_existing = 1 and supplier_group = 'nvidia' then h100e else 0 end) as existing_h100e_nvidia,
        sum(case when is_existing = 1 and supplier_group = 'amd' then h100e else 0 end) as existing_h100e_amd,
        sum(case when is_existing = 1 and supplier_group = 'google' then h100e else 0 end) as existing_h100e_google,
        sum(case when is_existing = 1 and supplier_group = 'huawei' then h100e else 0 end) as existing_h100e_huawei,
        sum(case when is_existing = 1 and supplier_group = 'other' then h100e else 0 end) as existing_h100e_other,
        sum(case when is_existing = 1 and supplier_group = 'unknown' then h100e else 0 end)
            as existing_h100e_supplier_unknown,
        sum(is_planned) as planned_clusters,
        sum(case when is_planned = 1 and certainty in ('confirmed', 'likely') then planned_addition_h100e else 0 end)
            as planned_h100e_confirmed_or_likely,
        sum(case when is_planned = 1 and (certainty is null or certainty = 'unlikely') then planned_addition_h100e
            else 0 end) as planned_h100e_unlikely
    from cluster_years
    group by {% if level == 'country' %}geography_code, {% elif level == 'tier' %}tier_code, {% endif %}year
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

world as (
    select year, existing_h100e as world_existing_h100e from by_geography where geography_level = 'world'
)

select
    by_geography.geography_level,
    by_geography.geography_code,
    by_geography.geography_name,
    by_geography.diffusion_tier,
    by_geography.year,
    by_geography.year < cast(extract(year from current_date) as integer) as is_year_complete,
    cast(by_geography.existing_clusters as integer) as existing_clusters,
    by_geography.existing_h100e as existing_h100e,
    by_geography.existing_power_mw as existing_power_mw,
    by_geography.existing_h100e / nullif(world.world_existing_h100e, 0) as share_of_world_existing_h100e,
    by_geography.existing_h100e_nvidia as existing_h100e_nvidia,
    by_geography.existing_h100e_amd as existing_h100e_amd,
    by_geography.existing_h100e_google as existing_h100e_google,
    by_geography.existing_h100e_huawei as existing_h100e_huawei,
    by_geography.existing_h100e_other as existing_h100e_other,
    by_geography.existing_h100e_supplier_unknown as existing_h100e_supplier_unknown,
    (by_geography.existing_h100e - by_geography.existing_h100e_supplier_unknown)
          / nullif(by_geography.existing_h100e, 0) as share_with_known_supplier,
    by_geography.existing_h100e_nvidia
          / nullif(by_geography.existing_h100e - by_geography.existing_h100e_supplier_unknown, 0)
        as nvidia_share_of_known_supplier_h100e,
    cast(by_geography.planned_clusters as integer) as planned_clusters,
    by_geography.planned_h100e_confirmed_or_likely as planned_h100e_confirmed_or_likely,
    by_geography.planned_h100e_unlikely as planned_h100e_unlikely
from by_geography
inner join world
    on world.year = by_geography.year
