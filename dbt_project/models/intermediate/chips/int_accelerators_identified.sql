-- One row per accelerator: every chip in Epoch's dataset, plus the curated chips Epoch lacks. A curated chip linked to
-- an Epoch row (curated epoch_hardware_name) keeps the curated chip_id, name and attributes.
with epoch as (
    select * from {{ ref('stg_epoch__ml_hardware') }}
),

curated as (
    select * from {{ ref('stg_curated__accelerators') }}
),

joined as (
    select
        coalesce(curated.chip_id, epoch.epoch_chip_id) as chip_id,
        coalesce(curated.chip_name, epoch.hardware_name) as chip_name,
        coalesce(curated.vendor, epoch.manufacturer) as vendor,
        curated.hq_country_iso3 as curated_hq_country_iso3,
        coalesce(epoch.release_date, curated.release_date) as release_date,
        coalesce(
            curated.designed_for,
            case
                when lower(epoch.hardware_name) like '%geforce%' or lower(epoch.hardware_name) like '%rtx %'
                    then 'consumer'
                else 'datacenter'
            end
        ) as designed_for,
        epoch.epoch_chip_id,
        epoch.hardware_name as epoch_hardware_name,
        epoch.epoch_chip_id is not null as in_epoch,
        curated.chip_id is not null as is_curated
    from epoch
    full outer join curated
        on curated.epoch_hardware_name = epoch.hardware_name
)

select
    joined.chip_id,
    joined.chip_name,
    joined.vendor,
    coalesce(joined.curated_hq_country_iso3, vendors.hq_country_iso3) as hq_country_iso3,
    joined.release_date,
    joined.designed_for,
    joined.epoch_chip_id,
    joined.epoch_hardware_name,
    joined.in_epoch,
    joined.is_curated
from joined
left join {{ ref('stg_curated__vendors') }} as vendors
    on vendors.vendor = joined.vendor
