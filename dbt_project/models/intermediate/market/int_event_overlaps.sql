-- Pairs of events whose t0 on the same listing lie within the study's span of each other, counted on the listing's own
-- bars: relative_session is the other event's t0 in this event's time (0: the same t0; -250..-30: inside the default
-- estimation window; -5..+5: inside the widest event window). dim_events, fct_event_reaction_summary and the group
-- mart name the events that share t0 (one market move, not two); fct_event_returns and the contamination mart count
-- the others in each window.
with span as (
    {{ study_span() }}
),

anchored as (
    select event_id, symbol, t0_index
    from {{ ref('int_event_listings_anchored') }}
    where t0_index is not null
)

select
    anchored.event_id,
    anchored.symbol,
    other.event_id as other_event_id,
    other.t0_index - anchored.t0_index as relative_session,
    abs(other.t0_index - anchored.t0_index) as sessions_apart
from anchored
cross join span
inner join anchored as other
    on other.symbol = anchored.symbol
    and other.event_id <> anchored.event_id
    and other.t0_index between anchored.t0_index + span.first_day and anchored.t0_index + span.last_day
