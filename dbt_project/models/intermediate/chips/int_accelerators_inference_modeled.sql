-- A roofline view of LLM serving per chip, relative to a reference chip (var inference_reference_chip, the H100 SXM).
-- A batch of B requests, each with a prompt of Tp tokens and To output tokens, on a dense model of P parameters
-- stored at b bytes each:
--   prefill (compute-bound):   2·P·Tp·B FLOP at the chip's dense BF16 rate
--   each decode step:           max(b·P bytes at the memory bandwidth, 2·P·B FLOP at the BF16 rate)
--   time per batch = prefill + To · decode step;  index = reference time / chip time (requests per second).
-- Ignores KV-cache traffic, interconnect, capacity (a model larger than one chip's memory is sharded evenly) and
-- software efficiency, which is why it is a ceiling and not a benchmark. Every index needs every figure it uses: a chip
-- without a dense BF16 rate or a memory bandwidth (or whose figure failed a plausibility check) gets null and the
-- reason, never an index from the other figure alone.
with params as (
    select
        cast({{ var('inference_model_params_b') }} as double) * 1e9 as p,
        cast({{ var('inference_bytes_per_param') }} as double) as bytes_per_param,
        cast({{ var('inference_batch_size') }} as double) as batch,
        cast({{ var('inference_prompt_tokens') }} as double) as prompt_tokens,
        cast({{ var('inference_output_tokens') }} as double) as output_tokens
),

timed as (
    select
        chips.chip_id,
        chips.dense_bf16_tflops,
        chips.memory_bandwidth_tbps,
        2 * params.p * params.prompt_tokens * params.batch / (chips.dense_bf16_tflops * 1e12) as prefill_s,
        case
            when chips.memory_bandwidth_tbps is not null and chips.dense_bf16_tflops is not null then greatest(
                params.bytes_per_param * params.p / (chips.memory_bandwidth_tbps * 1e12),
                2 * params.p * params.batch / (chips.dense_bf16_tflops * 1e12)
            )
        end as decode_step_s,
        case
            when chips.dense_bf16_tflops is null and chips.memory_bandwidth_tbps is null
                then 'no dense BF16 rate and no memory bandwidth'
            when chips.dense_bf16_tflops is null then 'no dense BF16 rate'
            when chips.memory_bandwidth_tbps is null then 'no memory bandwidth'
        end as missing_figures,
        params.output_tokens
    from {{ ref('int_accelerator_specs_resolved') }} as chips
    cross join params
)

select
    timed.chip_id,
    timed.prefill_s,
    timed.decode_step_s,
    timed.prefill_s + timed.output_tokens * timed.decode_step_s as batch_s,
    round(timed.dense_bf16_tflops / reference.dense_bf16_tflops, 12) as prefill_index,
    round(timed.memory_bandwidth_tbps / reference.memory_bandwidth_tbps, 12) as decode_index,
    round((reference.prefill_s + reference.output_tokens * reference.decode_step_s)
        / (timed.prefill_s + timed.output_tokens * timed.decode_step_s), 12) as inference_index,
    case
        when timed.missing_figures is not null then timed.missing_figures
        when reference.prefill_s is null or reference.decode_step_s is null
            then 'the reference chip lacks a dense BF16 rate or a memory bandwidth'
    end as inference_index_null_reason
from timed
cross join (select * from timed where chip_id = '{{ var("inference_reference_chip") }}') as reference
