-- Plausibility checks on the spec values ranked first for each chip, one row per (chip, metric, check) that fails.
-- severity 'warn' = suspicious (shown, still used); 'error' = impossible (int_accelerator_spec_values_checked drops
-- the value, so it feeds no TPP, classification or index, unless a person chose it as a preferred curated value).
--   compute_per_watt / compute_per_mm2: dense throughput in BF16-equivalent TFLOPS (FP8 and INT8 halved) per watt of
--     TDP and per mm2 of die; the best chips in the data reach ~2.5 TFLOPS/W (B100) and ~1.6 TFLOPS/mm2 (GB200).
--   memory_bandwidth_vs_type: above what the chip's memory technology can deliver at its capacity
--     (memory_technologies: fastest device x least(most devices per chip, capacity / smallest device)).
--   memory_bandwidth_per_gb: memory technology unknown; GB/s per GB of a DRAM memory (>= 4 GB) far above any
--     product's (~77 at most: TPU v4i, RTX 3080).
--   non_tensor_rate_as_bf16: Epoch's tensor cell is blank and its FP16 figure, used as dense BF16, is also the rate
--     its TPP column counts at 32 bits (FP16 at the FP32 rate: a vector unit's, not a matrix unit's) on a datacenter
--     chip; the rules count the fastest (matrix) rate, so the figure understates TPP (Intel Max 1550: 52.4 against
--     839 TFLOPS). Chips that report matrix FP16 in that column (Ascend, Cambricon) count it at 16 bits. Checked for
--     chips released from 2020 (datacenter accelerators have matrix units since Volta and Ampere: A10, Max 1350); a
--     Pascal part such as the P40 has none, and its vector rate is its best, so it is not flagged.
--   bandwidth_beyond_any_chip: memory bandwidth above spec_check_chip_bandwidth_tbps on a chip released before the
--     first chip that reached it (spec_check_chip_bandwidth_first_on), and not an SRAM-only part (memory under 1 GB):
--     a board, instance or on-chip figure offered as a chip's (Trainium1: 9.8 TB/s, while AWS gives 820 GB/s a chip).
--   sales_history: a confirmed rule in force while the chip was sold in China without a licence (curated_china_sales)
--     would have caught it with these figures; the figures the met prong tests are wrong. Unconfirmed thresholds (the
--     reported April-2025 numbers, 3A090.b.1) reject nothing.
with firsts as (
    select
        chip_id,
        {% for metric in accelerator_metrics() %}
        max(case when metric = '{{ metric }}' then value end) as {{ metric }}{{ ',' if not loop.last }}
        {% endfor %}
    from {{ ref('int_accelerator_spec_values_ranked') }}
    where is_first_ranked
    group by chip_id
),

chips as (
    select
        firsts.*,
        ids.designed_for,
        ids.memory_type,
        {{ total_processing_performance('firsts') }} as tpp,
        {{ total_processing_performance('firsts') }} / nullif(firsts.die_area_mm2, 0) as performance_density
    from firsts
    inner join {{ ref('int_accelerators_identified') }} as ids
        on ids.chip_id = firsts.chip_id
),

compute_values as (
    select chip_id, 'dense_bf16_tflops' as metric, dense_bf16_tflops as bf16_equivalent_tflops, tdp_w, die_area_mm2
    from chips where dense_bf16_tflops is not null
    union all
    select chip_id, 'fp8_tflops' as metric, fp8_tflops / 2 as bf16_equivalent_tflops, tdp_w, die_area_mm2
    from chips where fp8_tflops is not null
    union all
    select chip_id, 'int8_tops' as metric, int8_tops / 2 as bf16_equivalent_tflops, tdp_w, die_area_mm2
    from chips where int8_tops is not null
),

memory_bounds as (
    select
        chips.chip_id,
        chips.memory_type,
        chips.memory_gb,
        chips.memory_bandwidth_tbps,
        tech.max_gbps_per_device * least(
            cast(tech.max_devices_per_chip as double),
            ceil(chips.memory_gb / tech.min_gb_per_device)
        ) as max_bandwidth_gbps
    from chips
    inner join {{ ref('stg_curated__memory_technologies') }} as tech
        on tech.memory_type = chips.memory_type
    where chips.memory_bandwidth_tbps is not null and chips.memory_gb is not null
),

epoch_vector_rates as (  -- the dense BF16 value ranked first is Epoch's FP16 at its FP32 rate
    select ranked.chip_id, ids.release_date
    from {{ ref('int_accelerator_spec_values_ranked') }} as ranked
    inner join {{ ref('int_accelerators_identified') }} as ids
        on ids.chip_id = ranked.chip_id
    inner join {{ ref('stg_epoch__ml_hardware') }} as hardware
        on hardware.epoch_chip_id = ids.epoch_chip_id
    where ranked.metric = 'dense_bf16_tflops'
        and ranked.is_first_ranked
        and ranked.origin = 'epoch'
        and ids.designed_for = 'datacenter'
        and hardware.dense_bf16_basis = 'fp16'
        and hardware.epoch_tpp >= 31.5 * hardware.dense_bf16_tflops
        and ids.release_date >= cast('2020-01-01' as date)
),

unlicensed_sales as (
    select
        chips.*,
        rules.rule_version,
        rules.prong,
        rules.tpp_min,
        rules.tpp_below,
        rules.pd_min,
        rules.pd_below,
        rules.io_min_gbps,
        rules.mem_bw_min_gbps,
        rules.total_bw_min_gbps,
        sales.sold_without_licence_until
    from chips
    inner join {{ ref('stg_curated__china_sales') }} as sales
        on sales.chip_id = chips.chip_id
    inner join {{ ref('stg_curated__export_control_rules') }} as rules
        on rules.destination = 'china'
        and rules.is_confirmed
        and (sales.sold_without_licence_until is null or rules.in_force_from < sales.sold_without_licence_until)
        and (rules.in_force_until is null or sales.sold_without_licence_from is null
            or rules.in_force_until > sales.sold_without_licence_from)
    where {{ export_prong_met('rules', 'chips') }}
),

failures as (
    {#- the same test of dense compute against power and against die area; bounds in vars spec_check_tflops_per_* #}
    {%- for check, per, unit, bound in [('compute_per_watt', 'tdp_w', 'W of TDP', 'watt'),
                                        ('compute_per_mm2', 'die_area_mm2', 'mm2 of die', 'mm2')] %}
    {%- set warn_above = var('spec_check_tflops_per_' ~ bound ~ '_warn') %}
    {%- set error_above = var('spec_check_tflops_per_' ~ bound ~ '_error') %}
    select
        chip_id,
        metric,
        '{{ check }}' as check_name,
        case when bf16_equivalent_tflops / {{ per }} > {{ error_above }} then 'error' else 'warn' end as severity,
        {{ dbt.concat(["'" ~ check ~ ": '", "cast(round(bf16_equivalent_tflops / " ~ per ~ ", 2) as " ~ dbt.type_string() ~ ")",
            "' BF16-equivalent TFLOPS per " ~ unit ~ " (warn above " ~ warn_above ~ ", impossible above " ~ error_above ~ ")'"]) }} as detail
    from compute_values
    where {{ per }} > 0 and bf16_equivalent_tflops / {{ per }} > {{ warn_above }}

    union all
    {% endfor %}

    select
        chip_id,
        'memory_bandwidth_tbps' as metric,
        'memory_bandwidth_vs_type' as check_name,
        'error' as severity,
        {{ dbt.concat(["'memory_bandwidth_vs_type: '", "cast(round(memory_bandwidth_tbps * 1000, 1) as " ~ dbt.type_string() ~ ")",
            "' GB/s exceeds the '", "cast(round(max_bandwidth_gbps, 1) as " ~ dbt.type_string() ~ ")",
            "' GB/s that '", "cast(memory_gb as " ~ dbt.type_string() ~ ")", "' GB of '", "memory_type", "' can deliver'"]) }} as detail
    from memory_bounds
    where memory_bandwidth_tbps * 1000 > max_bandwidth_gbps * 1.01

    union all

    select
        chip_id,
        'memory_bandwidth_tbps' as metric,
        'memory_bandwidth_per_gb' as check_name,
        case
            when memory_bandwidth_tbps * 1000 / memory_gb > {{ var('spec_check_gbps_per_gb_error') }} then 'error' else 'warn'
        end as severity,
        {{ dbt.concat(["'memory_bandwidth_per_gb: '", "cast(round(memory_bandwidth_tbps * 1000 / memory_gb, 1) as " ~ dbt.type_string() ~ ")",
            "' GB/s per GB of memory (memory type unknown; warn above " ~ var('spec_check_gbps_per_gb_warn')
            ~ ", impossible above " ~ var('spec_check_gbps_per_gb_error') ~ ")'"]) }} as detail
    from chips
    where memory_type is null
        and memory_gb >= 4
        and memory_bandwidth_tbps * 1000 / memory_gb > {{ var('spec_check_gbps_per_gb_warn') }}

    union all

    select
        chip_id,
        'dense_bf16_tflops' as metric,
        'non_tensor_rate_as_bf16' as check_name,
        'error' as severity,
        'non_tensor_rate_as_bf16: Epoch gives no tensor rate and its FP16 figure runs at the FP32 rate (its TPP counts it at 32 bits): the rate of a vector unit, not the matrix rate the rules count' as detail
    from epoch_vector_rates

    union all

    select
        chips.chip_id,
        'memory_bandwidth_tbps' as metric,
        'bandwidth_beyond_any_chip' as check_name,
        'error' as severity,
        {{ dbt.concat(["'bandwidth_beyond_any_chip: '", "cast(round(chips.memory_bandwidth_tbps, 2) as " ~ dbt.type_string() ~ ")",
            "' TB/s on a chip released '", "cast(ids.release_date as " ~ dbt.type_string() ~ ")",
            "', before any chip reached " ~ var('spec_check_chip_bandwidth_tbps') ~ " TB/s (" ~ var('spec_check_chip_bandwidth_first_on')
            ~ "): a board, instance or on-chip figure?'"]) }} as detail
    from chips
    inner join {{ ref('int_accelerators_identified') }} as ids
        on ids.chip_id = chips.chip_id
    where chips.memory_bandwidth_tbps > {{ var('spec_check_chip_bandwidth_tbps') }}
        and ids.release_date < cast('{{ var("spec_check_chip_bandwidth_first_on") }}' as date)
        and coalesce(chips.memory_gb, 1) >= 1

    union all

    select
        unlicensed_sales.chip_id,
        tested.metric,
        'sales_history' as check_name,
        'error' as severity,
        {{ dbt.concat(["'sales_history: sold in China without a licence'",
            "coalesce(" ~ dbt.concat(["' until '", "cast(unlicensed_sales.sold_without_licence_until as " ~ dbt.type_string() ~ ")"]) ~ ", '')",
            "', yet these figures meet '", "unlicensed_sales.rule_version", "' prong '", "unlicensed_sales.prong",
            "' (TPP '", "coalesce(cast(round(unlicensed_sales.tpp, 1) as " ~ dbt.type_string() ~ "), 'unknown')", "')'"]) }} as detail
    from unlicensed_sales
    inner join (
        select 'dense_bf16_tflops' as metric, 'tpp' as tested
        union all select 'fp8_tflops' as metric, 'tpp' as tested
        union all select 'int8_tops' as metric, 'tpp' as tested
        union all select 'die_area_mm2' as metric, 'pd' as tested
        union all select 'interconnect_gbps' as metric, 'io' as tested
        union all select 'memory_bandwidth_tbps' as metric, 'mem' as tested
    ) as tested
        on (tested.tested = 'tpp' and (unlicensed_sales.tpp_min is not null or unlicensed_sales.tpp_below is not null
                or unlicensed_sales.pd_min is not null))
        or (tested.tested = 'pd' and (unlicensed_sales.pd_min is not null or unlicensed_sales.pd_below is not null))
        or (tested.tested = 'io' and (unlicensed_sales.io_min_gbps is not null or unlicensed_sales.total_bw_min_gbps is not null))
        or (tested.tested = 'mem' and (unlicensed_sales.mem_bw_min_gbps is not null
                or unlicensed_sales.total_bw_min_gbps is not null))
)

select failures.*
from failures
inner join {{ ref('int_accelerator_spec_values_ranked') }} as ranked
    on ranked.chip_id = failures.chip_id
    and ranked.metric = failures.metric
    and ranked.is_first_ranked
