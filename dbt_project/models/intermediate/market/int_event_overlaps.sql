-- Pairs of events whose t0 on the same listing coincide or lie within five sessions of each other (so each falls
-- inside the other's [-5,+5] window), counted on the listing's own bars. A pooled figure over such events counts
-- one market move twice; dim_events and fct_event_reaction_summary say so.
with anchored as (
    select event_id, symbol, t0_index
    from {{ ref('int_event_listings_anchored') }}
    where t0_index is not null
)

select
    anchored.event_id,
    anchored.symbol,
    other.event_id as other_event_id,
    abs(anchored.t0_index - other.t0_index) as sessions_apart
from anchored
inner join anchored as other
    on other.symbol = anchored.symbol
    and other.event_id <> anchored.event_id
    and other.t0_index between anchored.t0_index - 5 and anchored.t0_index + 5
