-- The members of each listing group that the group's tests use for an event: those with a fitted model on the chosen
-- estimation sample, one row per (event, group, member, model) with the member's fitted parameters.
select
    groups.group_id,
    fits.event_id,
    fits.symbol,
    fits.model,
    fits.t0_session_date,
    fits.alpha,
    fits.beta
from {{ ref('stg_curated__listing_group_members') }} as groups
inner join {{ ref('int_event_models_fitted') }} as fits
    on fits.symbol = groups.symbol
where fits.estimation_sample = {{ chosen_estimation_sample() }}
    and fits.model_status = 'fitted'
