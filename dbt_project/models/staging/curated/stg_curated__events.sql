-- announced_at is the instant the news became public. When only the date is known (time_precision = 'date'),
-- the study assumes var('default_announcement_time') local time in the announcer's zone, and says so.
with typed as (
    select
        cast(event_id as varchar) as event_id,
        cast(announced_on as date) as announced_on,
        nullif(trim(cast(announced_time_local as varchar)), '') as announced_time_local,
        cast(announced_tz as varchar) as announced_tz,
        cast(time_precision as varchar) as time_precision,
        cast(timing_note as varchar) as timing_note,
        cast(title as varchar) as title,
        cast(category as varchar) as category,
        cast(announcer as varchar) as announcer,
        cast(confidence as varchar) as confidence,
        cast(source_name as varchar) as source_name,
        cast(source_url as varchar) as source_url
    from {{ ref('curated_events') }}
)

select
    event_id,
    announced_on,
    {{ local_to_utc(
        "cast(" ~ dbt.concat(["cast(announced_on as varchar)", "' '",
            "coalesce(announced_time_local, '" ~ var('default_announcement_time') ~ "')", "':00'"]) ~ " as timestamp)",
        "announced_tz") }} as announced_at,
    announced_time_local,
    announced_tz,
    time_precision,
    announced_time_local is null as announced_time_assumed,
    case
        when announced_time_local is null
            then {{ dbt.concat(["'time unknown: assumed '", "'" ~ var('default_announcement_time') ~ "'", "' '", "announced_tz"]) }}
        else {{ dbt.concat(["announced_time_local", "' '", "announced_tz", "' ('", "time_precision", "')'"]) }}
    end as announced_at_basis,
    timing_note,
    title,
    category,
    announcer,
    confidence,
    source_name,
    source_url
from typed
