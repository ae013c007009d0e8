-- Every spec value the warehouse uses is the first by the precedence rule (curated preferred > Epoch > other curated)
-- and no other candidate for the same chip and metric ranks before it.
select used.chip_id, used.metric
from {{ ref('fct_accelerator_spec_values') }} as used
inner join {{ ref('fct_accelerator_spec_values') }} as other
    on other.chip_id = used.chip_id
    and other.metric = used.metric
where used.is_used
    and (not used.is_first_ranked or other.precedence < used.precedence)
