"""Dagster wiring for the dbt project: every seed, model and test is an asset or an asset check.

Sources map to the Python assets that land them through `meta.dagster.asset_key` in the sources YAML.
dbt runs with the refresh's Parquet folder and source mode as vars, and writes only the build database.
"""

import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from ..lib import raw_zone
from ..lib.config import DBT_PROJECT_DIR
from .resources import ChipwatchSettings

WAREHOUSE_POOL = "duckdb_warehouse"
log = logging.getLogger("chipwatch.dbt")

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def manifest_is_stale(project: DbtProject) -> bool:
    """True when the manifest is missing or older than any dbt source file (models, macros, seeds, YAML)."""
    if not project.manifest_path.exists():
        return True
    built = project.manifest_path.stat().st_mtime
    folders = [DBT_PROJECT_DIR / name for name in ("models", "macros", "seeds", "tests")]
    files = [DBT_PROJECT_DIR / "dbt_project.yml"] + [f for d in folders if d.exists() for f in d.rglob("*") if f.is_file()]
    return any(f.stat().st_mtime > built for f in files)


def dbt_executable() -> str:
    here = Path(sys.executable).parent / "dbt"
    return str(here) if here.exists() else (shutil.which("dbt") or "dbt")


if manifest_is_stale(dbt_project):  # `make` parses ahead; this keeps `chipwatch` and a bare checkout right
    subprocess.run([dbt_executable(), "parse", "--quiet", "--project-dir", str(DBT_PROJECT_DIR),
                    "--profiles-dir", str(DBT_PROJECT_DIR)], check=True, cwd=DBT_PROJECT_DIR)


class ChipwatchTranslator(DagsterDbtTranslator):
    """Groups follow the dbt folders: staging, intermediate, marts, seeds."""

    def get_asset_key(self, dbt_resource_props):
        # a versioned model is keyed by the relation it writes (marts/fct_event_returns_v2), like every other model
        if dbt_resource_props.get("version"):
            return dg.AssetKey([dbt_resource_props["config"]["schema"], dbt_resource_props["alias"]])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props):
        if dbt_resource_props["resource_type"] == "seed":
            return "seeds"
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 else "dbt"


@dbt_assets(manifest=dbt_project.manifest_path, dagster_dbt_translator=ChipwatchTranslator(),
            pool=WAREHOUSE_POOL)
def chipwatch_dbt_assets(context: dg.AssetExecutionContext, dbt: DbtCliResource, chipwatch: ChipwatchSettings):
    settings = chipwatch.load()
    settings.build_dir.mkdir(parents=True, exist_ok=True)
    # build from scratch: no object survives from an older project, and no WAL from a build that was killed
    settings.build_db.unlink(missing_ok=True)
    Path(str(settings.build_db) + ".wal").unlink(missing_ok=True)
    os.environ["CHIPWATCH_BUILD_DB"] = str(settings.build_db)  # read by dbt_project/profiles.yml
    dbt_vars = {"parquet_dir": str(settings.parquet_dir), "source_mode": settings.source}
    stand_ins = raw_zone.ensure_sources(settings)  # a source that has never landed is built as an empty table
    if stand_ins:
        context.log.warning(f"never landed, built as empty tables: {', '.join(stand_ins)}")
    log.info("dbt build: seeds, models and tests into %s", settings.build_db)
    count = 0
    # one target folder per home, overwritten each run (dagster-dbt's default leaves a new one per run in the repo)
    target = settings.build_dir / "dbt-target"
    for event in dbt.cli(["build", "--vars", json.dumps(dbt_vars)], context=context, target_path=target).stream():
        count += 1
        yield event
    log.info("dbt build: %d results", count)


def dbt_resource() -> DbtCliResource:
    return DbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable())
