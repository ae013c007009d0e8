-- One row per curated event with the instant it became public, how that instant was set, the sources of the event and
-- of its time, the rule version it relates to, and the other events that overlap it on some listing.
with pairs_near as (
    select event_id, other_event_id, min(sessions_apart) = 0 as shares_t0
    from {{ ref('int_event_overlaps') }}
    where sessions_apart <= 5
    group by event_id, other_event_id
),

overlap_lists as (
    select
        event_id,
        {{ sorted_string_agg("case when shares_t0 then other_event_id end", "', '") }} as events_sharing_t0,
        {{ sorted_string_agg("other_event_id", "', '") }} as events_within_5_sessions
    from pairs_near
    group by event_id
)

select
    events.event_id,
    announced_on,
    cast(announced_at as {{ type_instant() }}) as announced_at,
    announced_tz,
    time_precision,
    announced_time_assumed,
    announced_at_basis,
    timing_note,
    title,
    category,
    cast(families.event_family as {{ dbt.type_string() }}) as event_family,
    cast(families.family_reasoning as {{ dbt.type_string() }}) as family_reasoning,
    announcer,
    confidence,
    source_name,
    source_url,
    cast(time_source_name as {{ dbt.type_string() }}) as time_source_name,
    cast(time_source_url as {{ dbt.type_string() }}) as time_source_url,
    cast(rule_version as {{ dbt.type_string() }}) as rule_version,
    cast(overlap_lists.events_sharing_t0 as {{ dbt.type_string() }}) as events_sharing_t0,
    cast(overlap_lists.events_within_5_sessions as {{ dbt.type_string() }}) as events_within_5_sessions
from {{ ref('stg_curated__events') }} as events
left join overlap_lists
    on overlap_lists.event_id = events.event_id
left join {{ ref('stg_curated__event_families') }} as families
    on families.event_id = events.event_id
