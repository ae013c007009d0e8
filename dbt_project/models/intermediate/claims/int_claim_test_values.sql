-- The value each claim test (seed claim_tests) reads from the marts, one row per test and subject (a rule event, a
-- listing on a rule event, or the test as a whole), with the keys of the rows it came from. No verdict here:
-- fct_claim_evidence compares each value with its test's threshold.
with rule_events as (
    select event_id, announced_on from {{ ref('dim_events') }} where category = 'rule'
),

us_chip_portfolio_car_on_rules as (
    select
        'us_chip_portfolio_car_on_rules' as test_id,
        rule_events.event_id as subject,
        reactions.portfolio_car as value,
        reactions.p_value,
        rule_events.announced_on as as_of_date,
        {{ dbt.concat(["'fct_event_group_reactions: '", "rule_events.event_id",
                       "' / us_chip_equities / market_model / [0, +1]'"]) }} as evidence_keys,
        case when reactions.portfolio_car is null then 'no portfolio CAR for this event (prices missing or too few estimation days)' end as null_reason
    from rule_events
    left join {{ ref('fct_event_group_reactions') }} as reactions
        on reactions.event_id = rule_events.event_id
        and reactions.group_id = 'us_chip_equities'
        and reactions.model = 'market_model'
        and reactions.window_start = 0
        and reactions.window_end = 1
),

nvda_amd as (
    select 'NVDA' as symbol union all select 'AMD' as symbol
),

nvda_amd_car_on_rules as (
    select
        'nvda_amd_car_on_rules' as test_id,
        {{ dbt.concat(["rule_events.event_id", "' '", "nvda_amd.symbol"]) }} as subject,
        returns.car as value,
        returns.p_value,
        rule_events.announced_on as as_of_date,
        {{ dbt.concat(["'fct_event_returns_v2: '", "rule_events.event_id", "' / '", "nvda_amd.symbol",
                       "' / market_model / [0, +1]'"]) }} as evidence_keys,
        case when returns.car is null then 'no CAR for this listing and event' end as null_reason
    from rule_events
    cross join nvda_amd
    left join {{ ref('fct_event_returns', v=2) }} as returns
        on returns.event_id = rule_events.event_id
        and returns.symbol = nvda_amd.symbol
        and returns.model = 'market_model'
        and returns.window_start = 0
        and returns.window_end = 1
),

demand as (
    select
        max(case when year = 2026 then consensus_inference_share end) as consensus_2026,
        max(case when year = 2025 then consensus_inference_share end) as consensus_2025,
        {{ sorted_string_agg("case when year = 2026 and inference_share is not null then estimate_id end", "', '") }} as estimates_2026,
        {{ sorted_string_agg("case when year in (2025, 2026) and inference_share is not null then estimate_id end", "', '") }} as estimates_2025_2026
    from {{ ref('fct_demand_mix') }}
),

demand_tests as (
    select
        'inference_share_2026_consensus' as test_id,
        cast(null as {{ dbt.type_string() }}) as subject,
        consensus_2026 as value,
        cast(null as double) as p_value,
        cast(null as date) as as_of_date,
        {{ dbt.concat(["'fct_demand_mix 2026: '", "coalesce(estimates_2026, 'none')"]) }} as evidence_keys,
        case when consensus_2026 is null then 'no inference-share estimate for 2026' end as null_reason
    from demand
    union all
    select
        'inference_share_rising_2025_to_2026',
        cast(null as {{ dbt.type_string() }}),
        consensus_2026 - consensus_2025,
        cast(null as double),
        cast(null as date),
        {{ dbt.concat(["'fct_demand_mix 2025 and 2026: '", "coalesce(estimates_2025_2026, 'none')"]) }},
        case when consensus_2026 is null or consensus_2025 is null
            then 'no inference-share consensus for 2025 or for 2026' end
    from demand
),

legal_for_china_before_the_ban as (  -- chips not controlled for China on 2025-04-08, with an inference index
    select status.chip_id, fitness.inference_index
    from {{ ref('fct_accelerator_status_by_period') }} as status
    inner join {{ ref('fct_inference_fitness') }} as fitness
        on fitness.chip_id = status.chip_id
    where status.destination = 'china'
        and status.status = 'not_controlled'
        and status.period_start <= cast('2025-04-08' as date)
        and (status.period_end > cast('2025-04-08' as date) or status.period_end is null)
        and fitness.inference_index is not null
),

h20_best as (
    select
        max(case when chip_id = 'nvidia_h20' then inference_index end) as h20_index,
        max(case when chip_id <> 'nvidia_h20' then inference_index end) as best_other_index,
        {{ sorted_string_agg("case when chip_id <> 'nvidia_h20' then chip_id end", "', '") }} as others
    from legal_for_china_before_the_ban
),

h20_status as (
    select max(case when status in ('license_required', 'controlled') then 1 else 0 end) as needs_licence
    from {{ ref('fct_accelerator_status_by_period') }}
    where chip_id = 'nvidia_h20'
        and destination = 'china'
        and period_start <= cast('2025-04-09' as date)
        and (period_end > cast('2025-04-09' as date) or period_end is null)
),

h20_tests as (
    select
        'h20_best_legal_inference_chip' as test_id,
        cast(null as {{ dbt.type_string() }}) as subject,
        h20_index / nullif(best_other_index, 0) as value,
        cast(null as double) as p_value,
        cast('2025-04-08' as date) as as_of_date,
        {{ dbt.concat(["'fct_inference_fitness and fct_accelerator_status_by_period: nvidia_h20 against '",
                       "coalesce(others, 'no other chip')"]) }} as evidence_keys,
        case
            when h20_index is null then 'the H20 has no inference index or was not legal for China on 2025-04-08'
            when best_other_index is null then 'no other chip legal for China on 2025-04-08 has an inference index'
        end as null_reason
    from h20_best
    union all
    select
        'h20_licence_required_from_2025_04_09',
        cast(null as {{ dbt.type_string() }}),
        cast(needs_licence as double),
        cast(null as double),
        cast('2025-04-09' as date),
        'fct_accelerator_status_by_period: nvidia_h20 / china / the period holding 2025-04-09',
        case when needs_licence is null then 'no curated status for the H20 in China on 2025-04-09' end
    from h20_status
),

ascend_910c as (
    select
        'ascend_910c_modeled_inference_ratio' as test_id,
        cast(null as {{ dbt.type_string() }}) as subject,
        max(modeled_inference_ratio) as value,
        cast(null as double) as p_value,
        cast(null as date) as as_of_date,
        'fct_inference_claims: ascend_910c_60pct_h100_inference' as evidence_keys,
        case when max(modeled_inference_ratio) is null
            then 'no modeled inference ratio for the 910C (a spec is missing)' end as null_reason
    from {{ ref('fct_inference_claims') }}
    where claim_id = 'ascend_910c_60pct_h100_inference'
),

tier2_compute as (
    select
        'tier2_planned_over_existing_compute' as test_id,
        cast(null as {{ dbt.type_string() }}) as subject,
        sum(planned_h100e_confirmed_or_likely) / nullif(sum(existing_h100e), 0) as value,
        cast(null as double) as p_value,
        cast(null as date) as as_of_date,
        {{ dbt.concat(["'fct_tier2_compute_vs_caps: '",
                       sorted_string_agg("case when planned_h100e_confirmed_or_likely > 0 then iso3 end", "', '")]) }} as evidence_keys,
        case when sum(existing_h100e) is null or sum(existing_h100e) = 0
            then 'no existing compute known in Tier-2 countries' end as null_reason
    from {{ ref('fct_tier2_compute_vs_caps') }}
),

ic_imports as (
    select year, country_iso3, imports_total_usd, imports_from_china_incl_hk_usd
    from {{ ref('fct_tier2_sourcing') }}
    where frequency = 'annual' and hs_code = '8542' and country_reported
),

latest_import_year as (
    select max(year) as year from ic_imports where year > 2022
),

balanced as (  -- countries that reported both 2022 and the latest year
    select base.country_iso3
    from ic_imports as base
    cross join latest_import_year
    inner join ic_imports as latest
        on latest.country_iso3 = base.country_iso3
        and latest.year = latest_import_year.year
    where base.year = 2022
),

china_share_by_year as (
    select
        ic_imports.year,
        sum(ic_imports.imports_from_china_incl_hk_usd) / nullif(sum(ic_imports.imports_total_usd), 0) as share,
        {{ sorted_string_agg("ic_imports.country_iso3", "', '") }} as country_list
    from ic_imports
    inner join balanced on balanced.country_iso3 = ic_imports.country_iso3
    group by ic_imports.year
),

china_share_change as (  -- one row, even when no country reported both years
    select
        max(latest_import_year.year) as latest_year,
        max(case when china_share_by_year.year = latest_import_year.year then china_share_by_year.share end)
            - max(case when china_share_by_year.year = 2022 then china_share_by_year.share end) as change,
        max(case when china_share_by_year.year = 2022 then china_share_by_year.country_list end) as country_list
    from china_share_by_year
    cross join latest_import_year
),

tier2_sourcing as (
    select
        'tier2_china_share_change_since_2022' as test_id,
        cast(null as {{ dbt.type_string() }}) as subject,
        change as value,
        cast(null as double) as p_value,
        cast({{ dbt.concat(["cast(latest_year as " ~ dbt.type_string() ~ ")", "'-12-31'"]) }} as date) as as_of_date,
        {{ dbt.concat(["'fct_tier2_sourcing annual 8542, 2022 and the latest year: '",
                       "coalesce(country_list, 'no country')"]) }} as evidence_keys,
        case when change is null
            then 'no Tier-2 country reported its IC imports for both 2022 and a later year' end as null_reason
    from china_share_change
),

self_sufficiency_actuals as (
    select year, avg(value) as value
    from {{ ref('fct_self_sufficiency') }}
    where metric = 'ic_production_in_china_share' and not is_forecast and value is not null
    group by year
),

best_growth as (
    select max(later.value / earlier.value - 1) as best_yearly_growth
    from self_sufficiency_actuals as later
    inner join self_sufficiency_actuals as earlier
        on earlier.year = later.year - 1
    where earlier.value > 0
),

self_sufficiency as (
    select
        'self_sufficiency_growth_needed_vs_best_observed' as test_id,
        cast(null as {{ dbt.type_string() }}) as subject,
        max(targets.growth_per_year_needed) / nullif(max(best_growth.best_yearly_growth), 0) as value,
        cast(null as double) as p_value,
        cast({{ dbt.concat(["cast(max(targets.latest_year) as " ~ dbt.type_string() ~ ")", "'-12-31'"]) }} as date) as as_of_date,
        'fct_self_sufficiency_targets: huawei_coalition_self_sufficiency_2028; fct_self_sufficiency: ic_production_in_china_share actuals' as evidence_keys,
        case
            when max(targets.growth_per_year_needed) is null then 'no growth needed computed for the 2028 target'
            when max(best_growth.best_yearly_growth) is null or max(best_growth.best_yearly_growth) <= 0
                then 'no year-on-year growth observed in the actuals'
        end as null_reason
    from best_growth
    left join {{ ref('fct_self_sufficiency_targets') }} as targets
        on targets.target_id = 'huawei_coalition_self_sufficiency_2028'
),

systems as (
    select
        max(case when system_id = 'huawei_cloudmatrix_384' then computed_dense_bf16_pflops end) as cm_pflops,
        max(case when system_id = 'nvidia_gb200_nvl72' then computed_dense_bf16_pflops end) as nvl_pflops,
        max(case when system_id = 'huawei_cloudmatrix_384' then reported_power_kw end) as cm_kw,
        max(case when system_id = 'nvidia_gb200_nvl72' then reported_power_kw end) as nvl_kw
    from {{ ref('fct_system_comparison') }}
),

system_tests as (
    select
        'cm384_dense_bf16_ratio' as test_id,
        cast(null as {{ dbt.type_string() }}) as subject,
        cm_pflops / nullif(nvl_pflops, 0) as value,
        cast(null as double) as p_value,
        cast(null as date) as as_of_date,
        'fct_system_comparison: huawei_cloudmatrix_384, nvidia_gb200_nvl72 (computed_dense_bf16_pflops)' as evidence_keys,
        case when cm_pflops is null or nvl_pflops is null then 'a system total could not be computed from its chips' end as null_reason
    from systems
    union all
    select
        'cm384_power_ratio',
        cast(null as {{ dbt.type_string() }}),
        cm_kw / nullif(nvl_kw, 0),
        cast(null as double),
        cast(null as date),
        'fct_system_comparison: huawei_cloudmatrix_384, nvidia_gb200_nvl72 (reported_power_kw)',
        case when cm_kw is null or nvl_kw is null then 'a system power figure is missing' end
    from systems
)

{% set parts = ['us_chip_portfolio_car_on_rules', 'nvda_amd_car_on_rules', 'demand_tests', 'h20_tests', 'ascend_910c',
                'tier2_compute', 'tier2_sourcing', 'self_sufficiency', 'system_tests'] %}
{% for part in parts %}
select
    cast(test_id as {{ dbt.type_string() }}) as test_id,
    cast(subject as {{ dbt.type_string() }}) as subject,
    cast(value as double) as value,
    cast(p_value as double) as p_value,
    cast(as_of_date as date) as as_of_date,
    cast(evidence_keys as {{ dbt.type_string() }}) as evidence_keys,
    cast(null_reason as {{ dbt.type_string() }}) as null_reason
from {{ part }}
{% if not loop.last %}union all{% endif %}
{% endfor %}
