-- The value each claim test (seed claim_tests) reads from the marts, one row per test and subject (a rule event, a
-- listing on a rule event, or the test as a whole), with the keys of the rows it came from. No verdict here:
-- fct_claim_evidence compares each value with its test's threshold.
with family_tests as (  -- the pooled tests: (test, family, subject); a row per model the family mart has for it
    select * from (values
        ('us_chip_portfolio_pooled_on_us_tightening', 'us_tightening', 'us_chip_equities'),
        ('nvda_amd_pooled_on_us_tightening', 'us_tightening', 'NVDA'),
        ('nvda_amd_pooled_on_us_tightening', 'us_tightening', 'AMD'),
        ('cn_a_chip_portfolio_pooled_on_us_tightening', 'us_tightening', 'cn_a_chip_equities'),
        ('cn_a_chip_portfolio_pooled_on_china_actions', 'china_action_against_us_firm', 'cn_a_chip_equities')
    ) as chosen(test_id, event_family, subject)
),

family_models as (  -- the models a group portfolio (three) or a US listing (four) is tested under
    select 'group' as subject_type, model from (values ('market_model'), ('market_adjusted'), ('constant_mean')) as m(model)
    union all
    select 'listing', model
    from (values ('market_model'), ('market_adjusted'), ('constant_mean'), ('carhart_four_factor')) as m(model)
),

-- a listing's test leaves out the events its own news confounds; a portfolio's counts them (a member's news moves a
-- ten-stock portfolio by a tenth, and leaving out every event with any member's news drops most of the family)
family_spine as (
    select
        family_tests.test_id,
        family_tests.event_family,
        family_tests.subject,
        family_models.model,
        case when family_models.subject_type = 'group' then 'included' else 'excluded' end as confounded_events
    from family_tests
    inner join family_models
        on family_models.subject_type = case when family_tests.subject like '%_equities' then 'group' else 'listing' end
),

pooled as (
    select
        family_spine.test_id,
        {{ dbt.concat(["family_spine.subject", "' '", "family_spine.model"]) }} as subject,
        reactions.caar as value,
        reactions.q_value as p_value,
        cast(null as date) as as_of_date,
        {{ dbt.concat(["'fct_event_family_reactions: '", "family_spine.event_family", "' / '", "family_spine.subject",
                       "' / '", "family_spine.model", "' / [0, +1] / confounded events '", "family_spine.confounded_events", "'; '",
                       "coalesce(cast(reactions.events as " ~ dbt.type_string() ~ "), '0')", "' events; p (across events) '",
                       "coalesce(cast(round(reactions.p_value_across_events, 4) as " ~ dbt.type_string() ~ "), 'none')",
                       "', q '", "coalesce(cast(round(reactions.q_value, 4) as " ~ dbt.type_string() ~ "), 'none')"]) }}
            as evidence_keys,
        case
            when reactions.caar is null then 'no pooled CAAR: no event of the family has a result for this subject and model'
            when reactions.q_value is null then coalesce(reactions.across_events_null_reason, 'no q-value')
        end as null_reason
    from family_spine
    left join {{ ref('fct_event_family_reactions') }} as reactions
        on reactions.event_family = family_spine.event_family
        and reactions.subject = family_spine.subject
        and reactions.model = family_spine.model
        and reactions.window_start = 0
        and reactions.window_end = 1
        and reactions.confounded_events = family_spine.confounded_events
),

demand as (
    select
        max(case when year = 2026 then consensus_inference_share end) as consensus_2026,
        max(case when year = 2025 then consensus_inference_share end) as consensus_2025,
        avg(case when year = 2026 and estimate_id <> 'barclays_genai_outlook_2026' then inference_share end) as others_2026,
        {{ sorted_string_agg("case when year = 2026 and inference_share is not null and estimate_id <> 'barclays_genai_outlook_2026' then estimate_id end", "', '") }} as others_2026_list,
        {{ sorted_string_agg("case when year in (2025, 2026) and inference_share is not null then estimate_id end", "', '") }} as estimates_2025_2026
    from {{ ref('fct_demand_mix') }}
),

-- estimates of the same year published before and after DeepSeek-R1 (2025-01-20)
revisions_by_year as (
    select
        year,
        avg(case when published_on >= cast('2025-01-20' as date) then inference_share end)
            - avg(case when published_on < cast('2025-01-20' as date) then inference_share end) as revision
    from {{ ref('fct_demand_mix') }}
    where inference_share is not null and published_on is not null
    group by year
),

revision as (
    select
        avg(revision) as mean_revision,
        {{ sorted_string_agg("case when revision is not null then cast(year as " ~ dbt.type_string() ~ ") end", "', '") }} as years
    from revisions_by_year
),

demand_tests as (
    select
        'inference_share_2026_others_near_barclays' as test_id,
        cast(null as {{ dbt.type_string() }}) as subject,
        others_2026 as value,
        cast(null as double) as p_value,
        cast(null as date) as as_of_date,
        {{ dbt.concat(["'fct_demand_mix 2026, Barclays left out: '", "coalesce(others_2026_list, 'none')"]) }} as evidence_keys,
        case when others_2026 is null then 'no inference-share estimate for 2026 other than the Barclays one' end as null_reason
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
    union all
    select
        'inference_share_revised_after_deepseek',
        cast(null as {{ dbt.type_string() }}),
        mean_revision,
        cast(null as double),
        cast('2025-01-20' as date),
        {{ dbt.concat(["'fct_demand_mix, years with estimates published before and after 2025-01-20: '", "coalesce(years, 'none')"]) }},
        case when mean_revision is null
            then 'no year is described by inference-share estimates published both before and after 2025-01-20 (and dated)' end
    from revision
),

-- the chips China could get on a day (2025-04-08, before the H20 licence requirement, and 2025-04-15, after it): an
-- imported chip not controlled for China, a Chinese vendor's chip (not a US export: status not_applicable), or one whose
-- status the rules leave unknown; released says whether it was out by then (or its release date is unknown)
china_options as (
    select
        days.as_of_date,
        status.chip_id,
        chips.hq_country_iso3 = 'CHN' as is_domestic,
        chips.release_date is null or chips.release_date <= days.as_of_date as released,
        fitness.inference_index,
        status.status
    from (values (cast('2025-04-08' as date)), (cast('2025-04-15' as date))) as days(as_of_date)
    inner join {{ ref('fct_accelerator_status_by_period') }} as status
        on status.destination = 'china'
        and status.period_start <= days.as_of_date
        and (status.period_end > days.as_of_date or status.period_end is null)
    inner join {{ ref('dim_accelerators') }} as chips
        on chips.chip_id = status.chip_id
    left join {{ ref('fct_inference_fitness') }} as fitness
        on fitness.chip_id = status.chip_id
    where status.status in ('not_controlled', 'not_applicable', 'unknown')
),

legal_for_china_before_the_ban as (  -- chips not controlled for China on 2025-04-08, with an inference index
    select chip_id, inference_index
    from china_options
    where as_of_date = cast('2025-04-08' as date) and status = 'not_controlled' and inference_index is not null
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

ranked_options as (
    select
        china_options.*,
        row_number() over (partition by as_of_date, is_domestic order by inference_index desc, chip_id) as rank_in_kind
    from china_options
    where released and inference_index is not null and status in ('not_controlled', 'not_applicable')
),

best_options as (
    select
        max(case when as_of_date = cast('2025-04-15' as date) and is_domestic then inference_index end) as best_domestic,
        max(case when as_of_date = cast('2025-04-15' as date) and not is_domestic then inference_index end) as best_import_after,
        max(case when as_of_date = cast('2025-04-15' as date) and is_domestic then chip_id end) as best_domestic_chip,
        max(case when as_of_date = cast('2025-04-15' as date) and not is_domestic then chip_id end) as best_import_after_chip,
        max(case when as_of_date = cast('2025-04-08' as date) and not is_domestic then chip_id end) as best_import_before_chip
    from ranked_options
    where rank_in_kind = 1
),

not_comparable as (  -- released and allowed on 2025-04-15 but without an inference index, or of unknown status
    select
        {{ sorted_string_agg("case when inference_index is null then chip_id end", "', '") }} as without_index,
        {{ sorted_string_agg("case when status = 'unknown' and inference_index is not null then chip_id end", "', '") }} as status_unknown
    from china_options
    where released and as_of_date = cast('2025-04-15' as date)
),

domestic_vs_import as (
    select
        'best_domestic_over_best_legal_import_after_h20' as test_id,
        cast(null as {{ dbt.type_string() }}) as subject,
        best_options.best_domestic / nullif(best_options.best_import_after, 0) as value,
        cast(null as double) as p_value,
        cast('2025-04-15' as date) as as_of_date,
        {{ dbt.concat(["'fct_inference_fitness and fct_accelerator_status_by_period, china: best legal import 2025-04-08 '",
                       "coalesce(best_options.best_import_before_chip, 'none')", "', 2025-04-15 '",
                       "coalesce(best_options.best_import_after_chip, 'none')", "'; best domestic '",
                       "coalesce(best_options.best_domestic_chip, 'none')",
                       "'; not compared (no inference index): '", "coalesce(not_comparable.without_index, 'none')",
                       "'; left out (status unknown): '", "coalesce(not_comparable.status_unknown, 'none')"]) }} as evidence_keys,
        case
            when best_options.best_domestic is null then 'no Chinese vendor chip has an inference index'
            when best_options.best_import_after is null then 'no imported chip legal for China on 2025-04-15 has an inference index'
        end as null_reason
    from best_options
    cross join not_comparable
),

idc_shares as (  -- IDC's actual estimates of the domestic share of card shipments, first and last
    select
        period,
        domestic_vendors_share,
        row_number() over (order by period_end) as first_rank,
        row_number() over (order by period_end desc) as last_rank
    from {{ ref('fct_china_ai_accelerator_share') }}
    where series = 'IDC / shipments_units' and not is_forecast and domestic_vendors_share is not null
),

domestic_share as (
    select
        'idc_domestic_share_change' as test_id,
        cast(null as {{ dbt.type_string() }}) as subject,
        case when count(*) >= 2
            then max(case when last_rank = 1 then domestic_vendors_share end)
                - max(case when first_rank = 1 then domestic_vendors_share end)
        end as value,
        cast(null as double) as p_value,
        cast(null as date) as as_of_date,
        {{ dbt.concat(["'fct_china_ai_accelerator_share, IDC / shipments_units: '",
                       "coalesce(max(case when first_rank = 1 then period end), 'none')", "' to '",
                       "coalesce(max(case when last_rank = 1 then period end), 'none')"]) }} as evidence_keys,
        case when count(*) < 2 then 'fewer than two IDC estimates of the domestic share of card shipments' end as null_reason
    from idc_shares
),

cambricon_latest as (
    select period, period_end, revenue_growth_trailing_4q, growth_null_reason,
        row_number() over (order by period_end desc) as recency
    from {{ ref('fct_cambricon_quarterly_revenue') }}
),

cambricon as (
    select
        'cambricon_revenue_growth_trailing_4q' as test_id,
        cast(null as {{ dbt.type_string() }}) as subject,
        revenue_growth_trailing_4q as value,
        cast(null as double) as p_value,
        period_end as as_of_date,
        {{ dbt.concat(["'fct_cambricon_quarterly_revenue: the four quarters to '", "period"]) }} as evidence_keys,
        case when revenue_growth_trailing_4q is null
            then coalesce(growth_null_reason, 'no growth for the latest quarter') end as null_reason
    from cambricon_latest
    where recency = 1
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

ic_imports_asked as (  -- every Tier-2 country asked, whether or not it reported
    select year, country_iso3, country_reported, imports_total_usd, imports_from_china_incl_hk_usd
    from {{ ref('fct_tier2_sourcing') }}
    where frequency = 'annual' and hs_code = '8542'
),

ic_imports as (
    select year, country_iso3, imports_total_usd, imports_from_china_incl_hk_usd
    from ic_imports_asked
    where country_reported
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

asked as (
    select asked_count.countries, balanced_count.countries_reporting_both
    from (select count(distinct country_iso3) as countries from ic_imports_asked) as asked_count
    cross join (select count(*) as countries_reporting_both from balanced) as balanced_count
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
                       "cast(asked.countries_reporting_both as " ~ dbt.type_string() ~ ")", "' of '",
                       "cast(asked.countries as " ~ dbt.type_string() ~ ")",
                       "' Tier-2 countries asked reported both: '", "coalesce(country_list, 'no country')"]) }} as evidence_keys,
        case when change is null
            then 'no Tier-2 country reported its IC imports for both 2022 and a later year' end as null_reason
    from china_share_change
    cross join asked
),

self_sufficiency_actuals as (
    select year, avg(value) as value
    from {{ ref('fct_self_sufficiency') }}
    where metric = 'ic_production_in_china_share' and not is_forecast and value is not null
    group by year
),

yearly_growth as (
    select
        later.year,
        later.value / earlier.value - 1 as growth,
        row_number() over (order by later.value / earlier.value - 1 desc, later.year) as growth_rank
    from self_sufficiency_actuals as later
    inner join self_sufficiency_actuals as earlier
        on earlier.year = later.year - 1
    where earlier.value > 0
),

best_growth as (
    select
        max(growth) as best_yearly_growth,
        max(case when growth_rank = 1 then year end) as best_year
    from yearly_growth
),

self_sufficiency as (
    select
        'self_sufficiency_growth_needed_vs_best_observed' as test_id,
        cast(null as {{ dbt.type_string() }}) as subject,
        max(targets.growth_per_year_needed) / nullif(max(best_growth.best_yearly_growth), 0) as value,
        cast(null as double) as p_value,
        cast({{ dbt.concat(["cast(max(targets.latest_year) as " ~ dbt.type_string() ~ ")", "'-12-31'"]) }} as date) as as_of_date,
        {{ dbt.concat(["'fct_self_sufficiency_targets: huawei_coalition_self_sufficiency_2028; fct_self_sufficiency: ic_production_in_china_share actuals, best year '",
                       "coalesce(cast(max(best_growth.best_year) - 1 as " ~ dbt.type_string() ~ "), '?')", "' to '",
                       "coalesce(cast(max(best_growth.best_year) as " ~ dbt.type_string() ~ "), '?')"]) }} as evidence_keys,
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

{% set parts = ['pooled', 'demand_tests', 'h20_tests', 'domestic_vs_import', 'domestic_share', 'cambricon', 'ascend_910c',
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
