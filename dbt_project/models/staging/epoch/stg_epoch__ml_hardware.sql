-- Epoch's accelerators in the units people use. dense_bf16_tflops is Epoch's tensor FP16/BF16 figure, or its FP16
-- figure where the tensor one is blank (Ascend and Cambricon parts report their matrix-unit FP16 there);
-- dense_bf16_basis says which (int_accelerator_spec_checks flags an FP16 figure that is only a vector unit's rate).
select
    cast(chip_id as {{ dbt.type_string() }}) as epoch_chip_id,
    cast(hardware_name as {{ dbt.type_string() }}) as hardware_name,
    cast(manufacturer as {{ dbt.type_string() }}) as manufacturer,
    cast(hardware_type as {{ dbt.type_string() }}) as hardware_type,
    cast(release_date as date) as release_date,
    coalesce(tensor_fp16_bf16_flops, fp16_flops) / 1e12 as dense_bf16_tflops,
    cast(case
        when tensor_fp16_bf16_flops is not null then 'tensor'
        when fp16_flops is not null then 'fp16'
    end as {{ dbt.type_string() }}) as dense_bf16_basis,
    fp8_flops / 1e12 as fp8_tflops,
    int8_ops / 1e12 as int8_tops,
    memory_bytes / 1e9 as memory_gb,
    memory_bandwidth_bytes_per_s / 1e12 as memory_bandwidth_tbps,
    intranode_bandwidth_bytes_per_s / 1e9 as interconnect_gbps,
    cast(tdp_w as double) as tdp_w,
    cast(die_size_mm2 as double) as die_area_mm2,
    tpp_bit_ops / 1e12 as epoch_tpp,
    cast(process_nm as double) as process_nm,
    cast(foundry as {{ dbt.type_string() }}) as foundry,
    cast(transistors_millions as double) as transistors_millions,
    cast(release_price_usd as double) as release_price_usd,
    cast(datasheet_url as {{ dbt.type_string() }}) as datasheet_url
from {{ source('epoch', 'ml_hardware') }}
