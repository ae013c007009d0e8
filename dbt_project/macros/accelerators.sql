{#- The spec metrics the accelerator models carry, in one place. -#}
{% macro accelerator_metrics() %}
    {{ return(['dense_bf16_tflops', 'fp8_tflops', 'int8_tops', 'memory_gb', 'memory_bandwidth_tbps',
               'interconnect_gbps', 'tdp_w', 'die_area_mm2']) }}
{% endmacro %}
