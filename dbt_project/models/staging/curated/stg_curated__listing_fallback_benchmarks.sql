select
    cast(symbol as {{ dbt.type_string() }}) as symbol,
    cast(fallback_benchmark_symbol as {{ dbt.type_string() }}) as fallback_benchmark_symbol,
    cast(reasoning as {{ dbt.type_string() }}) as fallback_reasoning,
    cast(source_url as {{ dbt.type_string() }}) as source_url
from {{ ref('listing_fallback_benchmarks') }}
