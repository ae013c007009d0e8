-- One row per accelerator: every chip in Epoch's dataset, plus the curated chips Epoch lacks. A curated chip linked to
-- an Epoch row (curated epoch_hardware_name) keeps the curated chip_id, name and attributes: for chip attributes as for
-- spec values, a curated value (a person checked it against a source) wins over Epoch's, which fills what it leaves
-- empty (Epoch dates the A800 SXM 2022-08-11, before the licence letter it was designed around; curated 2022-11-07).
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
        coalesce(curated.release_date, epoch.release_date) as release_date,
        case
            when curated.release_date is not null then 'curated'
            when epoch.release_date is not null then 'epoch'
        end as release_date_origin,
        curated.memory_type,
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
    joined.release_date_origin,
    joined.designed_for,
    joined.memory_type,
    joined.epoch_chip_id,
    joined.epoch_hardware_name,
    joined.in_epoch,
    joined.is_curated
from joined
left join {{ ref('stg_curated__vendors') }} as vendors
    on vendors.vendor = joined.vendor
