select
    cast(chip_id as varchar) as chip_id,
    cast(chip_name as varchar) as chip_name,
    cast(vendor as varchar) as vendor,
    cast(hq_country_iso3 as varchar) as hq_country_iso3,
    cast(nullif(trim(cast(release_date as varchar)), '') as date) as release_date,
    cast(designed_for as varchar) as designed_for,
    nullif(trim(cast(epoch_hardware_name as varchar)), '') as epoch_hardware_name,
    cast(note as varchar) as note
from {{ ref('curated_accelerators') }}
