-- announced_at is the instant the news became public. When only the date is known (time_precision = 'date'),
-- the study assumes the default time of the announcer's zone (seed announcement_time_defaults), and says so.
with typed as (
    select
        cast(event_id as {{ dbt.type_string() }}) as event_id,
        cast(announced_on as date) as announced_on,
        nullif(trim(cast(announced_time_local as {{ dbt.type_string() }})), '') as announced_time_local,
        cast(announced_tz as {{ dbt.type_string() }}) as announced_tz,
        cast(time_precision as {{ dbt.type_string() }}) as time_precision,
        cast(timing_note as {{ dbt.type_string() }}) as timing_note,
        cast(title as {{ dbt.type_string() }}) as title,
        cast(category as {{ dbt.type_string() }}) as category,
        cast(announcer as {{ dbt.type_string() }}) as announcer,
        cast(confidence as {{ dbt.type_string() }}) as confidence,
        cast(source_name as {{ dbt.type_string() }}) as source_name,
        cast(source_url as {{ dbt.type_string() }}) as source_url,
        cast(time_source_name as {{ dbt.type_string() }}) as time_source_name,
        cast(time_source_url as {{ dbt.type_string() }}) as time_source_url,
        nullif(trim(cast(rule_version as {{ dbt.type_string() }})), '') as rule_version
    from {{ ref('curated_events') }}
),

with_default as (
    select
        typed.*,
        defaults.default_time_local
    from typed
    left join {{ ref('announcement_time_defaults') }} as defaults
        on defaults.announced_tz = typed.announced_tz
)

select
    event_id,
    announced_on,
    {{ local_to_utc(
        "cast(" ~ dbt.concat(["cast(announced_on as " ~ dbt.type_string() ~ ")", "' '",
            "coalesce(announced_time_local, cast(default_time_local as " ~ dbt.type_string() ~ "))", "':00'"]) ~ " as timestamp)",
        "announced_tz") }} as announced_at,
    announced_time_local,
    announced_tz,
    time_precision,
    announced_time_local is null as announced_time_assumed,
    case
        when announced_time_local is null
            then {{ dbt.concat(["'time unknown: assumed '", "cast(default_time_local as " ~ dbt.type_string() ~ ")", "' '", "announced_tz",
                "' (start of the local business day: announcement_time_defaults)'"]) }}
        else {{ dbt.concat(["announced_time_local", "' '", "announced_tz", "' ('", "time_precision", "')'"]) }}
    end as announced_at_basis,
    timing_note,
    title,
    category,
    announcer,
    confidence,
    source_name,
    source_url,
    time_source_name,
    time_source_url,
    rule_version
from with_default
