"""A snapshot of the Dagster definitions, so a refactor cannot silently drop an asset, a check or a job."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import dagster as dg
from dagster._utils.schedules import cron_string_iterator  # the scheduler's own cron arithmetic

from pipelines.definitions import defs

EXPECTED_ASSETS = {
    "yahoo_daily_bars", "epoch_ml_hardware", "comtrade_records", "countries", "exchange_sessions", "refresh_log", "published_warehouse",
    "seeds/curated_events", "seeds/curated_listings", "seeds/event_windows", "seeds/curated_accelerators",
    "seeds/curated_accelerator_specs", "seeds/export_control_rules", "seeds/curated_systems",
    "seeds/curated_demand_mix_estimates", "seeds/curated_inference_claims", "seeds/curated_vendors",
    "seeds/diffusion_tiers", "seeds/self_sufficiency_estimates", "seeds/china_ic_customs", "seeds/policy_targets",
    "seeds/memory_technologies", "seeds/curated_china_sales", "seeds/announcement_time_defaults", "seeds/curated_china_revenue",
    "staging/stg_curated__memory_technologies", "staging/stg_curated__china_sales", "staging/stg_curated__china_revenue",
    "intermediate/int_accelerator_spec_checks", "intermediate/int_accelerator_spec_values_checked",
    "intermediate/int_event_overlaps", "marts/fct_accelerator_status_by_period", "marts/fct_listing_china_exposure",
    "marts/fct_event_reaction_vs_exposure",
    "seeds/listing_groups", "seeds/listing_group_members", "staging/stg_curated__listing_groups",
    "staging/stg_curated__listing_group_members", "intermediate/int_event_group_portfolio_returns",
    "intermediate/int_event_group_models_fitted", "intermediate/int_event_group_abnormal_returns",
    "intermediate/int_event_group_residual_stats", "intermediate/int_event_group_members_fitted", "marts/fct_event_returns_v2", "marts/dim_listing_groups",
    "marts/fct_event_group_reactions", "marts/fct_event_car_paths", "marts/fct_event_estimation_contamination",
    "staging/stg_yahoo__daily_bars", "staging/stg_calendars__sessions", "staging/stg_chipwatch__refreshes",
    "staging/stg_epoch__ml_hardware", "staging/stg_curated__events", "staging/stg_curated__listings",
    "staging/stg_curated__accelerators", "staging/stg_curated__accelerator_specs",
    "staging/stg_curated__export_control_rules", "staging/stg_curated__systems",
    "staging/stg_curated__demand_mix_estimates", "staging/stg_curated__inference_claims",
    "staging/stg_curated__vendors", "staging/stg_curated__diffusion_tiers",
    "staging/stg_curated__self_sufficiency_estimates", "staging/stg_curated__china_ic_customs",
    "staging/stg_curated__policy_targets", "staging/stg_comtrade__records", "staging/stg_reference__countries",
    "intermediate/int_daily_returns_indexed", "intermediate/int_event_listings_anchored",
    "intermediate/int_event_day_returns_joined", "intermediate/int_event_models_fitted",
    "intermediate/int_abnormal_returns_computed",
    "intermediate/int_accelerators_identified", "intermediate/int_accelerator_spec_values_ranked",
    "intermediate/int_accelerator_specs_resolved", "intermediate/int_accelerators_classified",
    "intermediate/int_accelerators_inference_modeled", "intermediate/int_countries_tiered",
    "marts/dim_listings", "marts/dim_events", "marts/fct_daily_returns", "marts/fct_event_model_fits",
    "marts/fct_event_returns", "marts/fct_event_reaction_summary", "marts/meta_refreshes",
    "marts/dim_accelerators", "marts/fct_accelerator_rule_status", "marts/fct_accelerator_spec_values",
    "marts/fct_inference_fitness", "marts/fct_inference_claims", "marts/fct_system_comparison",
    "marts/fct_demand_mix", "marts/dim_export_control_rules", "marts/dim_countries", "marts/fct_ic_trade", "marts/fct_china_import_dependence",
    "marts/fct_self_sufficiency", "marts/fct_self_sufficiency_targets",
}


def asset_graph():
    return defs.resolve_asset_graph()


def test_every_asset_is_defined():
    keys = {k.to_user_string() for k in asset_graph().get_all_asset_keys()}
    assert keys == EXPECTED_ASSETS


def test_dbt_sources_hang_off_the_python_assets_that_land_them():
    graph = asset_graph()
    parents = lambda key: {p.to_user_string() for p in graph.get(dg.AssetKey.from_user_string(key)).parent_keys}  # noqa: E731
    assert parents("staging/stg_yahoo__daily_bars") == {"yahoo_daily_bars"}
    assert parents("staging/stg_calendars__sessions") == {"exchange_sessions"}
    assert parents("staging/stg_chipwatch__refreshes") == {"refresh_log"}
    assert parents("staging/stg_epoch__ml_hardware") == {"epoch_ml_hardware"}
    assert parents("refresh_log") == {"yahoo_daily_bars", "epoch_ml_hardware", "comtrade_records"}
    assert parents("staging/stg_comtrade__records") == {"comtrade_records"}
    assert parents("staging/stg_reference__countries") == {"countries"}
    marts = {k for k in EXPECTED_ASSETS if k.startswith("marts/")}
    assert marts <= parents("published_warehouse")


BUILD = {k for k in EXPECTED_ASSETS if "/" in k} | {"refresh_log", "published_warehouse"}
INGESTION = {"prices": {"yahoo_daily_bars", "exchange_sessions"}, "chips": {"epoch_ml_hardware"},
             "trade": {"comtrade_records", "countries"}}


def job_assets(name):
    return {k.to_user_string() for k in defs.resolve_job_def(name).asset_layer.executable_asset_keys}


def test_every_source_has_a_job_that_lands_it_and_rebuilds_everything():
    assert job_assets("build_and_publish") == BUILD
    for source, assets in INGESTION.items():
        assert job_assets(f"{source}_refresh") == assets | BUILD
        assert job_assets(f"ingest_{source}") == assets
    assert set().union(*INGESTION.values()) | BUILD == EXPECTED_ASSETS


def test_schedules_are_on_by_default_with_explicit_cron_and_time_zone():
    schedules = {s.name: (s.job_name, s.cron_schedule, s.execution_timezone, s.default_status)
                 for s in defs.get_repository_def().schedule_defs}
    running = dg.DefaultScheduleStatus.RUNNING
    assert schedules == {
        "prices_schedule": ("prices_refresh", "30 17 * * 1-5", "America/New_York", running),
        "chips_schedule": ("chips_refresh", "0 7 * * 1", "UTC", running),
        "trade_schedule": ("trade_refresh", "0 7 15 * *", "UTC", running),
    }


def test_the_prices_schedule_fires_after_the_us_close_on_weekdays_only():
    schedule = defs.get_repository_def().get_schedule_def("prices_schedule")
    start = datetime(2025, 4, 11, 12, 0, tzinfo=ZoneInfo("America/New_York")).timestamp()
    ticks = cron_string_iterator(start, schedule.cron_schedule, schedule.execution_timezone)
    first = [next(ticks) for _ in range(3)]
    assert [t.strftime("%a %H:%M %Z") for t in first] == ["Fri 17:30 EDT", "Mon 17:30 EDT", "Tue 17:30 EDT"]
    with dg.build_schedule_context(scheduled_execution_time=first[0]) as context:
        result = schedule.evaluate_tick(context)
    assert [r.job_name or schedule.job_name for r in result.run_requests] == ["prices_refresh"]


def test_checks_run_as_asset_checks_and_every_source_has_a_freshness_policy():
    checks = {(c.asset_key.to_user_string(), c.name) for c in asset_graph().asset_check_keys}
    names = {name for _, name in checks}
    assert "yahoo_all_symbols_landed" in names
    assert any(name.startswith("chipwatch_car_equals_sum_of_ars") for name in names)
    assert len(checks) >= 100  # dbt data tests become asset checks
    graph = asset_graph()
    fresh = {k.to_user_string(): graph.get(k).freshness_policy for k in graph.get_all_asset_keys()
             if graph.get(k).freshness_policy is not None}
    assert {k: p.fail_window.to_timedelta() for k, p in fresh.items()} == {
        "yahoo_daily_bars": timedelta(days=4), "epoch_ml_hardware": timedelta(days=8),
        "comtrade_records": timedelta(days=35)}


def test_the_warehouse_writers_share_one_pool():
    graph = asset_graph()
    writers = [dg.AssetKey("published_warehouse"), dg.AssetKey.from_user_string("marts/fct_event_returns")]
    pools = {graph.get(k).pools and next(iter(graph.get(k).pools)) for k in writers}
    assert pools == {"duckdb_warehouse"}
