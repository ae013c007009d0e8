-- One row per accelerator with the values the precedence rule picked (int_accelerator_spec_values_ranked), total
-- processing performance TPP = dense TOPS/TFLOPS x bit length, the largest over BF16/FP16, FP8 and INT8 (BIS,
-- 3A090 technical note), and performance density PD = TPP / die area (mm²).
with used as (
    select
        chip_id,
        {% for metric in accelerator_metrics() %}
        max(case when metric = '{{ metric }}' then value end) as {{ metric }},
        {% endfor %}
        {{ sorted_string_agg(dbt.concat(["metric", "': '", "origin"]), "'; '") }} as value_sources
    from {{ ref('int_accelerator_spec_values_ranked') }}
    where is_used
    group by chip_id
),

measured as (
    select
        ids.*,
        {% for metric in accelerator_metrics() %}
        used.{{ metric }},
        {% endfor %}
        used.value_sources,
        greatest(used.dense_bf16_tflops * 16, used.fp8_tflops * 8, used.int8_tops * 8) as tpp
    from {{ ref('int_accelerators_identified') }} as ids
    left join used on used.chip_id = ids.chip_id
)

select
    measured.*,
    measured.tpp / measured.die_area_mm2 as performance_density
from measured
