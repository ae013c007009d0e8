select
    cast(chip_id as {{ dbt.type_string() }}) as chip_id,
    cast(chip_name as {{ dbt.type_string() }}) as chip_name,
    cast(vendor as {{ dbt.type_string() }}) as vendor,
    cast(hq_country_iso3 as {{ dbt.type_string() }}) as hq_country_iso3,
    cast(nullif(trim(cast(release_date as {{ dbt.type_string() }})), '') as date) as release_date,
    cast(designed_for as {{ dbt.type_string() }}) as designed_for,
    nullif(trim(cast(epoch_hardware_name as {{ dbt.type_string() }})), '') as epoch_hardware_name,
    nullif(trim(cast(memory_type as {{ dbt.type_string() }})), '') as memory_type,
    cast(note as {{ dbt.type_string() }}) as note
from {{ ref('curated_accelerators') }}
