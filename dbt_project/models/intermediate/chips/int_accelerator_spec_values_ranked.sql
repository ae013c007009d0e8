-- Every candidate value for every (chip, metric), from Epoch and from the curated table, ranked by the one
-- precedence rule: the curated value marked preferred (1) — a person compared the sources and chose it, with the
-- reason in its note; else Epoch's value (2); else any other curated value (3). The first-ranked value per (chip,
-- metric) is the one used unless a plausibility check rejects it (int_accelerator_spec_values_checked); the others
-- stay visible in fct_accelerator_spec_values. Where Epoch disagrees with a preferred curated value (Ascend 910C
-- dense BF16: Epoch 752, SemiAnalysis 780), the curated one is used and Epoch's is shown.
with chips as (
    select chip_id, epoch_chip_id from {{ ref('int_accelerators_identified') }} where epoch_chip_id is not null
),

epoch as (
    select chips.chip_id, hardware.*
    from {{ ref('stg_epoch__ml_hardware') }} as hardware
    inner join chips on chips.epoch_chip_id = hardware.epoch_chip_id
),

candidates as (
    {% for metric in accelerator_metrics() %}
    select
        chip_id,
        '{{ metric }}' as metric,
        {{ metric }} as value,
        'epoch' as origin,
        2 as precedence,
        'Epoch AI, Data on Machine Learning Hardware (CC BY 4.0)' as source_name,
        'https://epoch.ai/data/machine-learning-hardware' as source_url,
        'as_published' as confidence,
        cast(null as {{ dbt.type_string() }}) as note
    from epoch
    where {{ metric }} is not null
    union all
    {% endfor %}
    select
        chip_id,
        metric,
        value,
        'curated' as origin,
        case when is_preferred then 1 else 3 end as precedence,
        source_name,
        source_url,
        confidence,
        note
    from {{ ref('stg_curated__accelerator_specs') }}
)

select
    candidates.*,
    row_number() over (partition by chip_id, metric order by precedence, value desc) = 1 as is_first_ranked
from candidates
