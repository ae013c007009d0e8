"""Dagster wiring for the dbt project: every seed, model and test is an asset or an asset check.

Sources map to the Python assets that land them through `meta.dagster.asset_key` in the sources YAML.
dbt runs with the refresh's Parquet folder and source mode as vars, and writes only the build database.
"""

import json
import logging
import os
import shutil
import sys
from pathlib import Path

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from ..lib.config import DBT_PROJECT_DIR
from .resources import ChipwatchSettings

WAREHOUSE_POOL = "duckdb_warehouse"
log = logging.getLogger("chipwatch.dbt")

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
if not dbt_project.manifest_path.exists():  # `make` builds it ahead; this keeps a bare checkout importable
    dbt_project.preparer.prepare(dbt_project)


def dbt_executable() -> str:
    here = Path(sys.executable).parent / "dbt"
    return str(here) if here.exists() else (shutil.which("dbt") or "dbt")


class ChipwatchTranslator(DagsterDbtTranslator):
    """Groups follow the dbt folders: staging, intermediate, marts, seeds."""

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
    settings.build_db.unlink(missing_ok=True)  # build from scratch: no object survives from an older project
    os.environ["CHIPWATCH_BUILD_DB"] = str(settings.build_db)  # read by dbt_project/profiles.yml
    dbt_vars = {"parquet_dir": str(settings.parquet_dir), "source_mode": settings.source}
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
