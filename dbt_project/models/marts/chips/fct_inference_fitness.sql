-- Inference fitness per chip relative to the H100 SXM: prefill (compute-bound) and decode (memory-bound) indexes and
-- a combined roofline index under the documented assumptions, which are repeated on every row. A chip without a figure
-- an index needs has a null index and the reason (never an index from compute alone).
select
    cast(chips.chip_id as {{ dbt.type_string() }}) as chip_id,
    cast(chips.chip_name as {{ dbt.type_string() }}) as chip_name,
    cast(chips.vendor as {{ dbt.type_string() }}) as vendor,
    round(chips.dense_bf16_tflops, 6) as dense_bf16_tflops,
    round(chips.memory_bandwidth_tbps, 6) as memory_bandwidth_tbps,
    round(modeled.prefill_index, 6) as prefill_index,
    round(modeled.decode_index, 6) as decode_index,
    round(modeled.inference_index, 6) as inference_index,
    cast(modeled.inference_index_null_reason as {{ dbt.type_string() }}) as inference_index_null_reason,
    cast('{{ var("inference_reference_chip") }}' as {{ dbt.type_string() }}) as reference_chip_id,
    cast({{ var('inference_model_params_b') }} as double) as model_params_b,
    cast({{ var('inference_batch_size') }} as integer) as batch_size,
    cast({{ var('inference_prompt_tokens') }} as integer) as prompt_tokens,
    cast({{ var('inference_output_tokens') }} as integer) as output_tokens
from {{ ref('int_accelerators_inference_modeled') }} as modeled
inner join {{ ref('int_accelerator_specs_resolved') }} as chips
    on chips.chip_id = modeled.chip_id
where chips.dense_bf16_tflops is not null or chips.memory_bandwidth_tbps is not null
