-- One row per accelerator with the values the precedence rule picked and the plausibility checks let through
-- (int_accelerator_spec_values_checked), total processing performance TPP = dense TOPS/TFLOPS x bit length, the
-- largest over BF16/FP16, FP8 and INT8 (BIS, 3A090 technical note), and performance density PD = TPP / die area (mm²).
-- spec_exclusions and spec_warnings say which values the checks rejected or flagged.
with used as (
    select
        chip_id,
        {% for metric in accelerator_metrics() %}
        max(case when metric = '{{ metric }}' and is_used then value end) as {{ metric }},
        {% endfor %}
        {{ sorted_string_agg("case when is_used then " ~ dbt.concat(["metric", "': '", "origin"]) ~ " end", "'; '") }} as value_sources,
        {{ sorted_string_agg("case when excluded_reason is not null then " ~ dbt.concat(["metric", "' not used: '", "excluded_reason"]) ~ " end", "' | '") }} as spec_exclusions,
        {{ sorted_string_agg("case when plausibility_warnings is not null then " ~ dbt.concat(["metric", "' suspicious: '", "plausibility_warnings"]) ~ " end", "' | '") }} as spec_warnings
    from {{ ref('int_accelerator_spec_values_checked') }}
    where is_first_ranked
    group by chip_id
),

measured as (
    select
        ids.*,
        {% for metric in accelerator_metrics() %}
        used.{{ metric }},
        {% endfor %}
        used.value_sources,
        used.spec_exclusions,
        used.spec_warnings,
        {{ total_processing_performance('used') }} as tpp
    from {{ ref('int_accelerators_identified') }} as ids
    left join used on used.chip_id = ids.chip_id
)

select
    measured.*,
    measured.tpp / nullif(measured.die_area_mm2, 0) as performance_density  -- never infinite (DuckDB) or engine-dependent
from measured
