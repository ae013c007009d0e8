{#- Whether a chip meets one export-control prong (rules and chips are table aliases). Every threshold the prong sets
    must hold; an empty threshold does not constrain; a missing chip figure makes the answer null (unknown) through
    SQL's three-valued logic. Datacenter-only prongs never catch consumer chips; HBM-stack controls catch no
    accelerator. chips needs tpp, performance_density, interconnect_gbps, memory_bandwidth_tbps and designed_for. -#}
{% macro export_prong_met(rules, chips) %}
    case
        when {{ rules }}.applies_to = 'hbm_stack' then false
        when {{ rules }}.applies_to = 'datacenter' and {{ chips }}.designed_for = 'consumer' then false
        else ({{ rules }}.tpp_min is null or {{ chips }}.tpp >= {{ rules }}.tpp_min)
            and ({{ rules }}.tpp_below is null or {{ chips }}.tpp < {{ rules }}.tpp_below)
            and ({{ rules }}.pd_min is null or {{ chips }}.performance_density >= {{ rules }}.pd_min)
            and ({{ rules }}.pd_below is null or {{ chips }}.performance_density < {{ rules }}.pd_below)
            and ({{ rules }}.io_min_gbps is null or {{ chips }}.interconnect_gbps >= {{ rules }}.io_min_gbps)
            and ({{ rules }}.mem_bw_min_gbps is null
                or {{ chips }}.memory_bandwidth_tbps * 1000 >= {{ rules }}.mem_bw_min_gbps)
            and ({{ rules }}.total_bw_min_gbps is null
                or {{ chips }}.memory_bandwidth_tbps * 1000 + {{ chips }}.interconnect_gbps >= {{ rules }}.total_bw_min_gbps)
    end
{% endmacro %}

{#- TPP from dense throughput: the largest of BF16/FP16 x 16, FP8 x 8 and INT8 x 8 (BIS 3A090 technical note). -#}
{% macro total_processing_performance(chips) %}
    greatest({{ chips }}.dense_bf16_tflops * 16, {{ chips }}.fp8_tflops * 8, {{ chips }}.int8_tops * 8)
{% endmacro %}
