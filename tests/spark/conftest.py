"""Builds the warehouse on both engines once per source mode, for tests/spark/test_engines_match.py.

For each mode (sample: the bundled sample, offline; live: the replay server's real recorded data), one
`chipwatch refresh` lands the raw zone and builds and publishes the DuckDB warehouse; then `dbt build --target spark`
builds the same models from the same Parquet on a local Spark (pipelines/lib/spark.py). The timings of both dbt
builds are printed at the end of the run.
"""

import json
import os
import time
from pathlib import Path

import pytest

from pipelines.lib.config import load_settings
from pipelines.lib.spark import DEFAULT_DBT, build_on_spark

from ..conftest import ROOT, chipwatch_env, run_chipwatch

MANIFEST = ROOT / "dbt_project" / "target" / "manifest.json"
TIMINGS: dict[str, dict] = {}
COMPARISONS: list = []


def mart_names() -> list[str]:
    """The relation of every model in dbt_project/models/marts (each version its own), from the manifest `make` keeps
    current."""
    nodes = json.loads(MANIFEST.read_text())["nodes"].values()
    return sorted(
        n["alias"]
        for n in nodes
        if n["resource_type"] == "model" and n["original_file_path"].startswith("models/marts/")
    )


def spark_dbt() -> Path:
    return Path(os.environ.get("CHIPWATCH_SPARK_DBT", DEFAULT_DBT))


def _duckdb_build_seconds(home: Path) -> float:
    """The DuckDB dbt step of the refresh, from its own dbt run_results.json (models, tests, seeds)."""
    results = json.loads((home / "build" / "dbt-target" / "run_results.json").read_text())
    return float(results["elapsed_time"])


def build_both(mode: str, home: Path, replay_url: str | None) -> dict:
    extra = {"CHIPWATCH_SOURCE": mode}
    if mode == "live":
        extra.update(
            CHIPWATCH_YAHOO_URL=replay_url,
            CHIPWATCH_EPOCH_URL=replay_url,
            CHIPWATCH_COMTRADE_URL=replay_url,
            CHIPWATCH_FRENCH_URL=replay_url,
            CHIPWATCH_HTTP_BACKOFF="0.01",
        )
    env = chipwatch_env(home, **extra)
    started = time.monotonic()
    refresh = run_chipwatch("refresh", env=env, timeout=900)
    refresh_seconds = time.monotonic() - started
    # every item lands from the recorded data and from the sample: the refresh exits 0
    assert refresh.returncode == 0 and (home / "chipwatch.duckdb").exists(), (
        refresh.stdout[-3000:] + refresh.stderr[-3000:]
    )

    with pytest.MonkeyPatch.context() as mp:  # the settings this refresh used, read from its environment
        for name, value in env.items():
            mp.setenv(name, value)
        settings = load_settings()
    spark = build_on_spark(settings, spark_dbt(), base_env=env)
    log_tail = spark.log.read_text()[-4000:]
    assert spark.returncode == 0, f"dbt build --target spark failed ({mode}); log {spark.log}:\n{log_tail}"
    results = json.loads((spark.target_path / "run_results.json").read_text())
    TIMINGS[mode] = {
        "refresh_seconds": refresh_seconds,
        "duckdb_dbt_seconds": _duckdb_build_seconds(home),
        "spark_dbt_seconds": spark.seconds,
        "spark_dbt_elapsed": float(results["elapsed_time"]),
        "spark_nodes": len(results["results"]),
    }
    return {"home": home, "spark": spark, "results": results}


@pytest.fixture(scope="session")
def engine_builds(request, tmp_path_factory):
    """{mode: build} for the modes asked for (CHIPWATCH_SPARK_MODES, default 'sample,live')."""
    builds = {}
    for mode in os.environ.get("CHIPWATCH_SPARK_MODES", "sample,live").split(","):
        replay_url = request.getfixturevalue("replay_server").url if mode == "live" else None
        builds[mode] = build_both(mode, tmp_path_factory.mktemp(f"engines-{mode}") / "home", replay_url)
    return builds


def pytest_terminal_summary(terminalreporter):
    if not TIMINGS and not COMPARISONS:
        return
    write = terminalreporter.write_line
    terminalreporter.section("DuckDB and Spark builds")
    for mode, t in TIMINGS.items():
        write(
            f"{mode:<7} dbt build: DuckDB {t['duckdb_dbt_seconds']:6.1f} s   Spark {t['spark_dbt_elapsed']:6.1f} s "
            f"(process {t['spark_dbt_seconds']:.1f} s with JVM start, {t['spark_nodes']} nodes)   "
            f"refresh incl. DuckDB build {t['refresh_seconds']:.1f} s"
        )
    for mode, comparison in COMPARISONS:
        write(f"{mode:<7} {comparison.summary()}")
