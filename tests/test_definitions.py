"""A snapshot of the Dagster definitions, so a refactor cannot silently drop an asset, a check or a job."""

import inspect
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import dagster as dg
import pytest
from dagster._utils.schedules import cron_string_iterator  # the scheduler's own cron arithmetic

from pipelines import refresh
from pipelines.definitions import build_definitions
from pipelines.lib import locks
from pipelines.lib.config import load_settings
from pipelines.lib.errors import ConfigError

defs = build_definitions(load_settings("sample"))

EXPECTED_ASSETS = {
    "yahoo_daily_bars",
    "epoch_ml_hardware",
    "epoch_gpu_clusters",
    "comtrade_records",
    "countries",
    "exchange_sessions",
    "published_warehouse",
    "french_factors_daily",
    "french_momentum_daily",
    "chipwatch/refreshes",  # the refresh record: a dbt source written by every source asset, not an asset of its own
    "seeds/curated_events",
    "seeds/curated_listings",
    "seeds/event_windows",
    "seeds/curated_accelerators",
    "seeds/curated_accelerator_specs",
    "seeds/export_control_rules",
    "seeds/curated_systems",
    "seeds/curated_demand_mix_estimates",
    "seeds/curated_inference_claims",
    "seeds/curated_vendors",
    "seeds/diffusion_tiers",
    "seeds/self_sufficiency_estimates",
    "seeds/china_ic_customs",
    "seeds/policy_targets",
    "seeds/memory_technologies",
    "seeds/curated_china_sales",
    "seeds/announcement_time_defaults",
    "seeds/curated_china_revenue",
    "staging/stg_curated__memory_technologies",
    "staging/stg_curated__china_sales",
    "staging/stg_curated__china_revenue",
    "intermediate/int_accelerator_spec_checks",
    "intermediate/int_accelerator_spec_values_checked",
    "intermediate/int_event_overlaps",
    "marts/fct_accelerator_status_by_period",
    "marts/fct_listing_china_exposure",
    "marts/fct_event_reaction_vs_exposure",
    "seeds/listing_groups",
    "seeds/listing_group_members",
    "staging/stg_curated__listing_groups",
    "staging/stg_curated__listing_group_members",
    "intermediate/int_event_group_portfolio_returns",
    "intermediate/int_event_group_models_fitted",
    "intermediate/int_event_group_abnormal_returns",
    "intermediate/int_event_group_residual_stats",
    "intermediate/int_event_group_members_fitted",
    "marts/fct_event_returns_v2",
    "marts/dim_listing_groups",
    "marts/fct_event_group_reactions",
    "marts/fct_event_family_reactions",
    "marts/fct_event_model_sensitivity",
    "seeds/event_families",
    "staging/stg_curated__event_families",
    "intermediate/int_binomial_half_cdf",
    "intermediate/int_signed_rank_null_cdf",
    "marts/fct_event_car_paths",
    "marts/fct_event_estimation_contamination",
    "staging/stg_yahoo__daily_bars",
    "staging/stg_calendars__sessions",
    "staging/stg_chipwatch__refreshes",
    "staging/stg_epoch__ml_hardware",
    "staging/stg_curated__events",
    "staging/stg_curated__listings",
    "staging/stg_curated__accelerators",
    "staging/stg_curated__accelerator_specs",
    "staging/stg_curated__export_control_rules",
    "staging/stg_curated__systems",
    "staging/stg_curated__demand_mix_estimates",
    "staging/stg_curated__inference_claims",
    "staging/stg_curated__vendors",
    "staging/stg_curated__diffusion_tiers",
    "staging/stg_curated__self_sufficiency_estimates",
    "staging/stg_curated__china_ic_customs",
    "staging/stg_curated__policy_targets",
    "staging/stg_comtrade__records",
    "staging/stg_reference__countries",
    "intermediate/int_daily_returns_indexed",
    "intermediate/int_event_listings_anchored",
    "intermediate/int_event_day_returns_joined",
    "intermediate/int_event_models_fitted",
    "intermediate/int_abnormal_returns_computed",
    "intermediate/int_event_pairs_to_build",
    "intermediate/int_event_day_returns_to_build",
    "intermediate/int_accelerators_identified",
    "intermediate/int_accelerator_spec_values_ranked",
    "intermediate/int_accelerator_specs_resolved",
    "intermediate/int_accelerators_classified",
    "intermediate/int_accelerators_inference_modeled",
    "intermediate/int_countries_tiered",
    "marts/dim_listings",
    "marts/dim_events",
    "marts/fct_daily_returns",
    "marts/fct_event_model_fits",
    "marts/fct_event_returns",
    "marts/fct_event_reaction_summary",
    "marts/meta_refreshes",
    "marts/dim_accelerators",
    "marts/fct_accelerator_rule_status",
    "marts/fct_accelerator_spec_values",
    "marts/fct_inference_fitness",
    "marts/fct_inference_claims",
    "marts/fct_system_comparison",
    "marts/fct_demand_mix",
    "marts/dim_export_control_rules",
    "marts/dim_countries",
    "marts/fct_ic_trade",
    "marts/fct_china_import_dependence",
    "marts/fct_self_sufficiency",
    "marts/fct_self_sufficiency_targets",
    "staging/stg_french__factors_daily",
    "staging/stg_french__momentum_daily",
    "intermediate/int_french_factors_joined",
    "intermediate/int_event_factor_models_fitted",
    "marts/fct_event_factor_model_returns",
    "seeds/listing_fallback_benchmarks",
    "staging/stg_curated__listing_fallback_benchmarks",
    "seeds/china_ai_accelerator_share_estimates",
    "staging/stg_curated__china_ai_accelerator_share_estimates",
    "marts/fct_china_ai_accelerator_share",
    "seeds/cambricon_quarterly_revenue",
    "staging/stg_curated__cambricon_quarterly_revenue",
    "marts/fct_cambricon_quarterly_revenue",
    "seeds/company_news",
    "staging/stg_curated__company_news",
    "intermediate/int_event_news_in_windows",
    "intermediate/int_company_news_reactions",
    "staging/stg_epoch__gpu_clusters",
    "seeds/diffusion_caps",
    "staging/stg_curated__diffusion_caps",
    "intermediate/int_ai_clusters_counted",
    "marts/dim_ai_clusters",
    "marts/fct_ai_compute_by_country",
    "marts/fct_tier2_compute_vs_caps",
    "intermediate/int_tier2_trade_by_partner",
    "marts/fct_tier2_sourcing",
    "seeds/story_claims",
    "seeds/claim_tests",
    "staging/stg_curated__story_claims",
    "staging/stg_curated__claim_tests",
    "intermediate/int_claim_test_values",
    "marts/fct_claim_evidence",
    "marts/fct_claims",
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
    assert parents("staging/stg_chipwatch__refreshes") == {"chipwatch/refreshes"}  # written by each source asset
    assert parents("staging/stg_epoch__ml_hardware") == {"epoch_ml_hardware"}
    assert parents("staging/stg_epoch__gpu_clusters") == {"epoch_gpu_clusters"}
    assert parents("staging/stg_comtrade__records") == {"comtrade_records"}
    assert parents("staging/stg_french__factors_daily") == {"french_factors_daily"}
    assert parents("staging/stg_french__momentum_daily") == {"french_momentum_daily"}
    assert parents("staging/stg_reference__countries") == {"countries"}
    marts = {k for k in EXPECTED_ASSETS if k.startswith("marts/")}
    assert marts <= parents("published_warehouse")


RECORD = {"chipwatch/refreshes"}
BUILD = {k for k in EXPECTED_ASSETS if "/" in k} - RECORD | {"published_warehouse"}
INGESTION = {
    "yahoo": {"yahoo_daily_bars", "exchange_sessions"},
    "epoch": {"epoch_ml_hardware", "epoch_gpu_clusters"},
    "comtrade": {"comtrade_records", "countries"},
    "french": {"french_factors_daily", "french_momentum_daily"},
}


def job_assets(name):
    return {k.to_user_string() for k in defs.resolve_job_def(name).asset_layer.executable_asset_keys}


def test_every_source_has_a_job_that_lands_it_and_one_job_builds_everything():
    assert job_assets("build_and_publish") == BUILD
    for source, assets in INGESTION.items():
        assert job_assets(f"ingest_{source}") == assets
    assert set().union(*INGESTION.values()) | BUILD | RECORD == EXPECTED_ASSETS
    assert {j.name for j in defs.get_repository_def().get_all_jobs() if not j.name.startswith("__")} == {
        "build_and_publish",
        "ingest_yahoo",
        "ingest_epoch",
        "ingest_comtrade",
        "ingest_french",
    }


def test_schedules_are_on_by_default_with_explicit_cron_and_time_zone():
    schedules = {
        s.name: (s.job_name, s.cron_schedule, s.execution_timezone, s.default_status)
        for s in defs.get_repository_def().schedule_defs
    }
    running = dg.DefaultScheduleStatus.RUNNING
    assert schedules == {
        "yahoo_schedule": ("ingest_yahoo", "30 17 * * 1-5", "America/New_York", running),
        "epoch_schedule": ("ingest_epoch", "0 7 * * 1", "UTC", running),
        "comtrade_schedule": ("ingest_comtrade", "0 7 15 * *", "UTC", running),
        "french_schedule": ("ingest_french", "0 8 * * 1", "UTC", running),
    }
    (sensor,) = defs.get_repository_def().sensor_defs
    assert (sensor.name, sensor.default_status) == ("build_after_ingest", dg.DefaultSensorStatus.RUNNING)


def test_the_yahoo_schedule_fires_after_the_us_close_on_weekdays_and_asks_a_whole_incremental_refresh(home):
    # a home with nothing landed (the module's `defs` read $CHIPWATCH_HOME, which may hold a developer's bars)
    defs = build_definitions(load_settings("sample"))
    schedule = defs.get_repository_def().get_schedule_def("yahoo_schedule")
    start = datetime(2025, 4, 11, 12, 0, tzinfo=ZoneInfo("America/New_York")).timestamp()
    ticks = cron_string_iterator(start, schedule.cron_schedule, schedule.execution_timezone)
    first = [next(ticks) for _ in range(3)]
    assert [t.strftime("%a %H:%M %Z") for t in first] == ["Fri 17:30 EDT", "Mon 17:30 EDT", "Tue 17:30 EDT"]
    with dg.build_schedule_context(scheduled_execution_time=first[0]) as context:
        (request,) = schedule.evaluate_tick(context).run_requests
    months = defs.resolve_assets_def("yahoo_daily_bars").partitions_def.get_partition_keys()
    assert (request.job_name or schedule.job_name) == "ingest_yahoo"
    assert request.tags[refresh.PARTITION_RANGE_START_TAG] == months[0] == "2021-01-01"
    assert request.tags[refresh.PARTITION_RANGE_END_TAG] == months[-1]
    assert request.tags["chipwatch/refresh_id"]
    assert request.run_config["ops"]["yahoo_daily_bars"]["config"] == {"refetch": False}


def test_a_backfill_request_covers_exactly_the_partitions_of_its_dates_and_asks_them_again():
    job = defs.resolve_job_def("ingest_comtrade")
    assets = [defs.resolve_assets_def(k) for k in job.asset_layer.executable_asset_keys]
    request = refresh.ingest_request("comtrade", assets, "r1", (date(2019, 12, 31), date(2021, 1, 1)))
    assert (request.tags[refresh.PARTITION_RANGE_START_TAG], request.tags[refresh.PARTITION_RANGE_END_TAG]) == (
        "2019",
        "2021",
    )
    assert request.run_config["ops"]["comtrade_records"]["config"] == {"refetch": True}
    job = defs.resolve_job_def("ingest_yahoo")
    assets = [defs.resolve_assets_def(k) for k in job.asset_layer.executable_asset_keys]
    request = refresh.ingest_request("yahoo", assets, "r1", (date(2024, 3, 5), date(2024, 3, 20)))
    assert (request.tags[refresh.PARTITION_RANGE_START_TAG], request.tags[refresh.PARTITION_RANGE_END_TAG]) == (
        "2024-03-01",
        "2024-03-01",
    )
    # a refresh covers the months from where its landing starts asking (pipelines/lib/yahoo_landing.refresh_start)
    request = refresh.ingest_request("yahoo", assets, "r1", since=date(2025, 3, 24))
    months = defs.resolve_assets_def("yahoo_daily_bars").partitions_def.get_partition_keys()
    assert (request.tags[refresh.PARTITION_RANGE_START_TAG], request.tags[refresh.PARTITION_RANGE_END_TAG]) == (
        "2025-03-01",
        months[-1],
    )
    assert request.run_config["ops"]["yahoo_daily_bars"]["config"] == {"refetch": False}
    assert refresh.ingest_request("epoch", [defs.resolve_assets_def("epoch_ml_hardware")], "r1").tags == {
        "chipwatch/refresh_id": "r1"
    }
    assert refresh.ingest_request("french", [defs.resolve_assets_def("french_factors_daily")], "r1").tags == {
        "chipwatch/refresh_id": "r1"
    }
    with pytest.raises(ConfigError, match="its partitions start at 2021-01-01"):
        refresh.ingest_request("yahoo", assets, "r1", (date(2019, 1, 1), date(2019, 12, 31)))


def test_the_build_sensor_builds_the_refresh_whose_ingestion_succeeded():
    request = refresh.build_request("20260101T000000Z-abcdef").run_request(run_key="20260101T000000Z-abcdef")
    assert (request.job_name, request.tags["chipwatch/refresh_id"]) == ("build_and_publish", "20260101T000000Z-abcdef")


def test_checks_run_as_asset_checks_and_every_source_has_a_freshness_policy():
    checks = {(c.asset_key.to_user_string(), c.name) for c in asset_graph().asset_check_keys}
    names = {name for _, name in checks}
    assert {
        "yahoo_all_symbols_landed",
        "yahoo_daily_bars_row_count_holds",
        "epoch_ml_hardware_row_count_holds",
        "epoch_gpu_clusters_row_count_holds",
        "comtrade_records_row_count_holds",
        "french_factors_daily_row_count_holds",
        "french_momentum_daily_row_count_holds",
    } <= names
    assert any(name.startswith("chipwatch_car_equals_sum_of_ars") for name in names)
    assert len(checks) >= 100  # dbt data tests become asset checks
    graph = asset_graph()
    fresh = {
        k.to_user_string(): graph.get(k).freshness_policy
        for k in graph.get_all_asset_keys()
        if graph.get(k).freshness_policy is not None
    }
    windows = {k: p.fail_window.to_timedelta() for k, p in fresh.items() if not k.startswith("marts/")}
    assert windows == {
        "published_warehouse": timedelta(days=4),  # the most frequent source's window
        "yahoo_daily_bars": timedelta(days=4),
        "epoch_ml_hardware": timedelta(days=8),
        "epoch_gpu_clusters": timedelta(days=8),
        "comtrade_records": timedelta(days=35),
        "french_factors_daily": timedelta(days=40),
        "french_momentum_daily": timedelta(days=40),
    }


def test_the_build_lock_lets_one_writer_in_and_the_refresh_lock_refuses_a_second_refresh(tmp_path):
    import subprocess
    import sys

    holder = (
        "import sys, time; from pathlib import Path; from pipelines.lib import locks\n"
        "with locks.build_lock(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(2)"
    )
    proc = subprocess.Popen([sys.executable, "-c", holder, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    started = datetime.now()
    with locks.build_lock(tmp_path):  # waits for the other process
        waited = (datetime.now() - started).total_seconds()
    proc.wait()
    assert waited > 0.5
    with locks.refresh_lock(tmp_path):
        held = subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from pathlib import Path; "
                "from pipelines.lib import locks\n"
                "try:\n    locks.refresh_lock(Path(sys.argv[1])).__enter__()\n"
                "except locks.Locked as e:\n    print(e)",
                str(tmp_path),
            ],
            capture_output=True,
            text=True,
        )
    assert "another refresh is running (pid" in held.stdout


def test_the_dbt_resource_knows_its_dbt_version_without_running_dbt_version(monkeypatch):
    """`dbt --version` (which dagster-dbt would run before every dbt command) asks PyPI for the latest release: an
    offline build must not. The version comes from the installed dbt-core instead, and it is the dbt the build runs."""
    from importlib.metadata import version

    import dagster_dbt.core.resource as dagster_dbt_resource

    from pipelines.defs import dbt

    monkeypatch.setattr(
        dagster_dbt_resource, "check_output", lambda *args, **kwargs: pytest.fail(f"a subprocess was run: {args}")
    )
    resource = defs.resources["dbt"]
    assert isinstance(resource, dbt.OfflineDbtCliResource)
    assert str(resource._cli_version) == version("dbt-core") and resource._cli_version.major == 1
    assert resource.dbt_executable == dbt.dbt_executable()
    # nor does it load dbt's adapter in process (the build never fetches row counts or column metadata through it):
    # the method it overrides is the one dagster-dbt's cli() calls
    assert "self._initialize_dbt_core_adapter(" in inspect.getsource(dagster_dbt_resource.DbtCliResource.cli)
    assert resource._initialize_dbt_core_adapter(["build"]) is None
    assert not {"fetch_row_counts", "fetch_column_metadata"} & set(Path(dbt.__file__).read_text().split("."))


def test_any_run_that_lands_source_data_leads_to_a_build_and_a_build_does_not():
    """Issue 31: a backfill launched from an asset's Partitions page (Dagster's own asset job) landed data but never
    built, because the sensor watched only the ingest_* jobs. It now watches every job of the code location and
    decides by what the run landed."""
    (sensor,) = defs.get_repository_def().sensor_defs
    assert sensor._monitored_jobs in (None, [])  # every job of this code location, __ASSET_JOB included
    landing = {dg.AssetKey("yahoo_daily_bars"), dg.AssetKey("french_factors_daily")}
    ui_backfill = dg.DagsterRun(job_name="__ASSET_JOB", run_id="a", asset_selection=frozenset(landing))
    schedule_run = dg.DagsterRun(job_name="ingest_epoch", run_id="b")
    build_run = dg.DagsterRun(job_name="build_and_publish", run_id="c")
    dbt_only = dg.DagsterRun(
        job_name="__ASSET_JOB", run_id="d", asset_selection=frozenset({dg.AssetKey(["marts", "fct_claims"])})
    )
    assert refresh.lands_data(ui_backfill, landing) and refresh.lands_data(schedule_run, landing)
    assert not refresh.lands_data(build_run, landing) and not refresh.lands_data(dbt_only, landing)


def test_every_asset_check_says_what_it_checks():
    repo = defs.get_repository_def()
    specs = [c for a in repo.assets_defs_by_key.values() for c in a.check_specs]
    specs += [c for checks in repo.asset_checks_defs_by_key.values() for c in checks.check_specs]
    missing = sorted({c.key.to_user_string() for c in specs if not (c.description or "").strip()})
    assert len(specs) > 300 and missing == []
    relationships = next(c for c in specs if c.name.startswith("relationships_"))
    assert relationships.description.startswith("dbt test relationships: every ")


def test_the_sources_the_marts_and_the_published_warehouse_all_have_a_freshness_policy():
    graph = defs.get_repository_def().asset_graph
    keys = graph.get_all_asset_keys()
    marts = [k for k in keys if k.path[0] == "marts"]
    wanted = [*marts, dg.AssetKey("published_warehouse"), dg.AssetKey("yahoo_daily_bars")]
    assert len(marts) >= 30
    assert [k.to_user_string() for k in wanted if graph.get(k).freshness_policy is None] == []
