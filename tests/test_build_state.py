"""What a build must redo (pipelines/lib/build_state.py) and which dbt assets that selects (issue 18), without dbt:
the refresh's incremental path end to end is in tests/test_refresh_integration.py."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pyarrow as pa
import pytest

from pipelines import refresh
from pipelines.defs import dbt as dbt_defs
from pipelines.lib import build_state, landing, raw_zone
from pipelines.lib.config import DBT_PROJECT_DIR, load_settings

VARS = {"parquet_dir": "/x", "source_mode": "sample", "build_db": "/x.duckdb"}


@pytest.fixture
def landed(home):
    """A home with every source landed (empty tables) and a build database and published file present."""
    settings = load_settings()
    raw_zone.ensure_sources(settings)
    for path in (settings.build_db, settings.published_db):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"")
    return settings


def write_rows(path, n):
    landing.write_parquet(path, pa.table({"x": list(range(n))}))


def test_the_first_build_is_full_and_an_unchanged_home_needs_none(landed):
    now = build_state.current(landed, VARS)
    assert build_state.plan(landed, now, None).reason == "no earlier successful build is recorded"
    build_state.save(landed, now)
    last = build_state.load(landed)
    again = build_state.current(landed, VARS, last)
    assert again.sources == now.sources and again.seeds == now.seeds and again.project == now.project
    plan = build_state.plan(landed, again, last)
    assert (plan.full, plan.nothing_to_build) == (False, True)
    assert build_state.plan(landed, again, last, full=True).full  # --full-rebuild


def test_changed_data_selects_its_source_and_the_refresh_record_alone_selects_nothing(landed):
    last = build_state.current(landed, VARS)
    bars_folder = raw_zone.tables(landed)["yahoo.daily_bars"][0].parent
    record_folder = raw_zone.tables(landed)["chipwatch.refreshes"][0].parent
    write_rows(record_folder / "r1--yahoo--daily_bars.parquet", 1)  # every attempt adds one
    assert build_state.plan(landed, build_state.current(landed, VARS, last), last).nothing_to_build
    write_rows(bars_folder / "bars-NVDA.parquet", 3)  # a new symbol file, then a changed one
    plan = build_state.plan(landed, build_state.current(landed, VARS, last), last)
    assert (plan.full, plan.changed_sources, plan.changed_seeds) == (
        False,
        ("chipwatch.refreshes", "yahoo.daily_bars"),
        (),
    )
    build_state.save(landed, build_state.after_build(last, build_state.current(landed, VARS, last), plan))
    last = build_state.load(landed)
    write_rows(bars_folder / "bars-NVDA.parquet", 4)
    assert build_state.plan(landed, build_state.current(landed, VARS, last), last).changed_sources == (
        "yahoo.daily_bars",
    )
    landed.published_db.unlink()  # nothing changed but nothing is published: a small build that publishes again
    now = build_state.current(landed, VARS, build_state.load(landed))
    now.sources["yahoo.daily_bars"] = last.sources["yahoo.daily_bars"]
    assert build_state.plan(landed, now, last).changed_sources == ("chipwatch.refreshes",)


def test_a_source_that_changed_while_another_was_built_is_still_due(landed):
    last = build_state.current(landed, VARS)
    now = build_state.BuildState(
        {**last.sources, "yahoo.daily_bars": "new", "epoch.gpu_clusters": "new"}, last.seeds, last.project, last.context
    )
    built_only_yahoo = build_state.BuildPlan(False, "test", ("yahoo.daily_bars",))
    recorded = build_state.after_build(last, now, built_only_yahoo)
    assert recorded.sources["yahoo.daily_bars"] == "new"
    assert build_state.plan(landed, now, recorded).changed_sources == ("epoch.gpu_clusters",)


def test_a_changed_seed_is_incremental_but_a_changed_model_var_or_version_is_a_full_build(landed, tmp_path):
    project = tmp_path / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"))
    last = build_state.current(landed, VARS, project_dir=project)
    seed = next((project / "seeds").rglob("curated_systems.csv"))
    seed.write_text(seed.read_text() + "\n")
    plan = build_state.plan(landed, build_state.current(landed, VARS, last, project), last)
    assert (plan.full, plan.changed_seeds) == (False, ("curated_systems",))
    # a seed the incremental event-study models read: a full build
    manifest = json.loads((DBT_PROJECT_DIR / "target" / "manifest.json").read_text())
    feeding = build_state.seeds_feeding_incremental_models(manifest)
    assert {"curated_events", "curated_listings", "event_windows"} <= feeding and "curated_systems" not in feeding
    seed = next((project / "seeds").rglob("curated_events.csv"))
    seed.write_text(seed.read_text() + "\n")
    plan = build_state.plan(landed, build_state.current(landed, VARS, last, project), last, full_rebuild_seeds=feeding)
    assert plan.full and plan.reason == "a seed the incremental models read changed: curated_events"
    model = next((project / "models").rglob("fct_claims.sql"))
    model.write_text(model.read_text() + "\n-- changed\n")
    plan = build_state.plan(landed, build_state.current(landed, VARS, last, project), last)
    assert plan.full and "dbt project changed" in plan.reason
    plan = build_state.plan(landed, build_state.current(landed, {**VARS, "parquet_dir": "/y"}), last)
    assert plan.full and "vars" in plan.reason
    landed.build_db.unlink()
    assert build_state.plan(landed, last, last).reason == "the build database is missing"


def test_a_changed_source_or_seed_selects_exactly_the_dbt_assets_downstream_of_it():
    from pipelines.definitions import build_definitions

    defs = build_definitions(load_settings())
    assets = refresh.dbt_assets_def(defs)
    names = lambda keys: {k.to_user_string() for k in keys}  # noqa: E731
    prices = names(dbt_defs.keys_downstream(assets, ["yahoo.daily_bars"], []))
    assert {
        "staging/stg_yahoo__daily_bars",
        "marts/fct_daily_returns",
        "marts/fct_event_returns_v2",
        "marts/fct_event_group_reactions",
        "marts/fct_claims",
    } <= prices
    assert not prices & {
        "marts/fct_ai_compute_by_country",
        "marts/fct_demand_mix",
        "marts/meta_refreshes",
        "marts/fct_ic_trade",
        "seeds/curated_events",
    }
    events = names(dbt_defs.keys_downstream(assets, [], ["curated_events"]))
    assert {
        "seeds/curated_events",
        "staging/stg_curated__events",
        "marts/dim_events",
        "marts/fct_event_returns_v2",
    } <= events and "marts/fct_self_sufficiency" not in events
    # every selected key is one the build job can run, and the request adds the publish
    plan = build_state.BuildPlan(False, "test", ("yahoo.daily_bars",))
    request = refresh.build_request("r1", plan, dbt_defs.keys_downstream(assets, ["yahoo.daily_bars"], []))
    job_keys = defs.resolve_job_def(refresh.BUILD_JOB).asset_layer.executable_asset_keys
    assert (
        set(request.asset_selection) <= set(job_keys) and dg.AssetKey("published_warehouse") in request.asset_selection
    )
    assert request.run_config["ops"][refresh.DBT_OP]["config"]["full_rebuild"] is False
    assert refresh.build_request("r1", build_state.BuildPlan(True, "test")).asset_selection is None


def test_the_dbt_unit_tests_pass_on_the_sample_build(sample_warehouse, tmp_path):
    """A refresh skips dbt's unit tests (their inputs are fixed: new data cannot fail them); this runs them."""
    home, _, proc = sample_warehouse
    assert proc.returncode == 0, proc.stdout + proc.stderr
    build_db = tmp_path / "unit.duckdb"
    shutil.copyfile(home / "build" / "chipwatch.duckdb", build_db)  # the parents' columns, on a private copy
    dbt = str(Path(sys.executable).parent / "dbt")
    variables = f'{{"parquet_dir": "{home}/parquet/sample", "source_mode": "sample", "build_db": "{build_db}"}}'
    result = subprocess.run(
        [
            dbt,
            "test",
            "--select",
            "test_type:unit",
            "--profiles-dir",
            ".",
            "--target-path",
            str(tmp_path / "target"),
            "--vars",
            variables,
        ],
        cwd=DBT_PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-4000:]
    ran = json.loads((tmp_path / "target" / "run_results.json").read_text())["results"]
    passed = {r["unique_id"] for r in ran if r["unique_id"].startswith("unit_test.") and r["status"] == "pass"}
    manifest = json.loads((DBT_PROJECT_DIR / "target" / "manifest.json").read_text())
    assert passed == set(manifest["unit_tests"]) and len(passed) >= 19  # every unit test of the project ran
