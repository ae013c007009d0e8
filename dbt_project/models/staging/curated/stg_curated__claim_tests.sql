select
    cast(test_id as {{ dbt.type_string() }}) as test_id,
    cast(claim_id as {{ dbt.type_string() }}) as claim_id,
    cast(test_order as integer) as test_order,
    cast(description as {{ dbt.type_string() }}) as description,
    cast(claim_part as {{ dbt.type_string() }}) as claim_part,
    cast(evidence_kind as {{ dbt.type_string() }}) as evidence_kind,
    cast(mart as {{ dbt.type_string() }}) as mart,
    cast(metric as {{ dbt.type_string() }}) as metric,
    cast(metric_unit as {{ dbt.type_string() }}) as metric_unit,
    cast(comparison as {{ dbt.type_string() }}) as comparison,
    cast(threshold as double) as threshold,
    cast(tolerance as double) as tolerance,
    cast(max_p_value as double) as max_p_value,
    cast(threshold_source as {{ dbt.type_string() }}) as threshold_source
from {{ ref('claim_tests') }}
