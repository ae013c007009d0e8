-- Every value any source gives for a chip's spec, and whether the warehouse uses it (the precedence rule: a curated
-- value marked preferred, else Epoch's, else another curated one; then the plausibility checks, which can reject
-- the first-ranked value: excluded_reason). Conflicts such as the Ascend 910C's dense BF16
-- (Epoch 752, SemiAnalysis 780, TrendForce 800) stay visible here.
select
    cast(chip_id as {{ dbt.type_string() }}) as chip_id,
    cast(metric as {{ dbt.type_string() }}) as metric,
    round(value, 6) as value,
    cast(origin as {{ dbt.type_string() }}) as origin,
    cast(precedence as integer) as precedence,
    is_first_ranked,
    is_used,
    cast(excluded_reason as {{ dbt.type_string() }}) as excluded_reason,
    cast(plausibility_warnings as {{ dbt.type_string() }}) as plausibility_warnings,
    cast(overridden_check as {{ dbt.type_string() }}) as overridden_check,
    cast(source_name as {{ dbt.type_string() }}) as source_name,
    cast(source_url as {{ dbt.type_string() }}) as source_url,
    cast(confidence as {{ dbt.type_string() }}) as confidence,
    cast(note as {{ dbt.type_string() }}) as note
from {{ ref('int_accelerator_spec_values_checked') }}
