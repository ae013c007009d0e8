-- The precedence rule holds for chip attributes as for spec values: where the curated table sets an attribute, the
-- published one is the curated one (Epoch dated the A800 SXM before the licence letter it was designed around).
select dim.chip_id
from {{ ref('dim_accelerators') }} as dim
inner join {{ ref('stg_curated__accelerators') }} as curated
    on curated.chip_id = dim.chip_id
where (curated.release_date is not null and (dim.release_date is null or dim.release_date <> curated.release_date))
    or dim.chip_name <> curated.chip_name
    or dim.vendor <> curated.vendor
    or dim.designed_for <> curated.designed_for
    or (curated.memory_type is not null and (dim.memory_type is null or dim.memory_type <> curated.memory_type))
