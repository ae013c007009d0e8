-- Each Tier-2 country with known AI clusters: its existing and planned compute (Epoch's GPU clusters, counted as in
-- fct_ai_compute_by_country) beside what the AI Diffusion Framework of January 2025 would have let it receive, and
-- the rule's status. H100 equivalents of a cap = its TPP / the H100 SXM's TPP (from dim_accelerators' source).
with current_year as (
    select cast(extract(year from current_date) as integer) as year
),

compute as (
    select by_country.*
    from {{ ref('fct_ai_compute_by_country') }} as by_country
    where by_country.geography_level = 'country' and by_country.diffusion_tier = 2
),

now_ as (
    select compute.geography_code as iso3, compute.geography_name as country_name, compute.existing_clusters,
           compute.existing_h100e, compute.existing_power_mw, compute.share_of_world_existing_h100e
    from compute
    inner join current_year on current_year.year = compute.year
),

planned as (
    select
        country_iso3 as iso3,
        sum(case when certainty in ('confirmed', 'likely') then planned_addition_h100e else 0 end)
            as planned_h100e_confirmed_or_likely,
        sum(case when certainty in ('confirmed', 'likely') and planned_year <= 2027 then planned_addition_h100e else 0 end)
            as planned_h100e_confirmed_or_likely_by_2027,
        sum(case when certainty in ('confirmed', 'likely') and planned_year is null then planned_addition_h100e
            else 0 end) as planned_h100e_confirmed_or_likely_undated,
        sum(case when certainty = 'unlikely' or certainty is null then planned_addition_h100e else 0 end)
            as planned_h100e_unlikely,
        count(*) as planned_clusters
    from {{ ref('int_ai_clusters_counted') }}
    where counts_as_compute and status = 'planned' and diffusion_tier = 2
    group by country_iso3
),

h100 as (
    select tpp as h100_tpp from {{ ref('int_accelerator_specs_resolved') }} where chip_id = 'nvidia_h100_sxm5'
),

caps as (
    select
        max(case when cap_id = 'tier2_country_allocation' then tpp end) as allocation_tpp,
        max(case when cap_id = 'tier2_country_allocation_g2g' then tpp end) as allocation_g2g_tpp,
        max(case when cap_id = 'lpp_per_customer_year' then tpp end) as lpp_tpp_per_customer_year,
        max(case when cap_id = 'tier2_country_allocation' then period_end end) as allocation_period_end,
        max(case when cap_id = 'tier2_country_allocation' then source_url end) as caps_source_url
    from {{ ref('stg_curated__diffusion_caps') }}
),

rule as (
    select min(effective_on) as rule_effective_on, max(rescinded_on) as rule_rescinded_on
    from {{ ref('stg_curated__export_control_rules') }}
    where rule_version = 'jan2025_ai_diffusion'
),

joined as (
    select
        coalesce(now_.iso3, planned.iso3) as iso3,
        now_.country_name,
        coalesce(now_.existing_clusters, 0) as existing_clusters,
        coalesce(now_.existing_h100e, 0) as existing_h100e,
        coalesce(now_.existing_power_mw, 0) as existing_power_mw,
        now_.share_of_world_existing_h100e,
        coalesce(planned.planned_clusters, 0) as planned_clusters,
        coalesce(planned.planned_h100e_confirmed_or_likely, 0) as planned_h100e_confirmed_or_likely,
        coalesce(planned.planned_h100e_confirmed_or_likely_by_2027, 0) as planned_h100e_confirmed_or_likely_by_2027,
        coalesce(planned.planned_h100e_confirmed_or_likely_undated, 0) as planned_h100e_confirmed_or_likely_undated,
        coalesce(planned.planned_h100e_unlikely, 0) as planned_h100e_unlikely
    from now_
    full outer join planned
        on planned.iso3 = now_.iso3
)

select
    joined.iso3,
    coalesce(joined.country_name, countries.country_name) as country_name,
    joined.existing_clusters,
    joined.existing_h100e as existing_h100e,
    joined.existing_power_mw as existing_power_mw,
    joined.share_of_world_existing_h100e,
    cast(joined.planned_clusters as integer) as planned_clusters,
    joined.planned_h100e_confirmed_or_likely as planned_h100e_confirmed_or_likely,
    joined.planned_h100e_confirmed_or_likely_by_2027 as planned_h100e_confirmed_or_likely_by_2027,
    joined.planned_h100e_confirmed_or_likely_undated as planned_h100e_confirmed_or_likely_undated,
    joined.planned_h100e_unlikely as planned_h100e_unlikely,
    caps.allocation_tpp,
    caps.allocation_tpp / nullif(h100.h100_tpp, 0) as allocation_h100e,
    caps.allocation_g2g_tpp,
    caps.allocation_g2g_tpp / nullif(h100.h100_tpp, 0) as allocation_g2g_h100e,
    caps.lpp_tpp_per_customer_year,
    caps.lpp_tpp_per_customer_year / nullif(h100.h100_tpp, 0) as lpp_h100e_per_customer_year,
    caps.allocation_period_end,
    joined.existing_h100e / nullif(caps.allocation_tpp / nullif(h100.h100_tpp, 0), 0)
        as existing_share_of_allocation,
    (joined.existing_h100e + joined.planned_h100e_confirmed_or_likely_by_2027)
          / nullif(caps.allocation_tpp / nullif(h100.h100_tpp, 0), 0)
        as existing_and_planned_by_2027_share_of_allocation,
    rule.rule_effective_on,
    rule.rule_rescinded_on,
    case
        when current_date < rule.rule_effective_on then 'not yet published'
        when rule.rule_rescinded_on is null or current_date < rule.rule_rescinded_on then 'in force'
        else 'rescinded'
    end as rule_status_now,
    caps.caps_source_url
from joined
cross join caps
cross join h100
cross join rule
left join {{ ref('int_countries_tiered') }} as countries
    on countries.iso3 = joined.iso3
