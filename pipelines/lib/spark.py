"""Run the dbt project on Apache Spark (the `spark` target in dbt_project/profiles.yml; docs/scaling.md).

DuckDB stays the default engine. This builds the same models from the same raw-zone Parquet on Spark, through
dbt-spark's `session` method, in the separate venv `.venv-spark/` (`make test-spark` / `make build-spark` install it
from requirements-spark.lock). Spark writes its managed tables under $CHIPWATCH_HOME/build/spark/warehouse (or
CHIPWATCH_SPARK_WAREHOUSE) and its metastore (Derby) into the working folder, $CHIPWATCH_HOME/build/spark.

    python -m pipelines.lib.spark [--dbt .venv-spark/bin/dbt] [dbt build options...]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from .config import DBT_PROJECT_DIR, Settings, load_settings

ROOT = DBT_PROJECT_DIR.parent
DEFAULT_DBT = ROOT / ".venv-spark" / "bin" / "dbt"


@dataclass
class SparkBuild:
    returncode: int
    seconds: float
    log: Path
    warehouse: Path
    target_path: Path

    def mart_location(self, mart: str) -> Path:
        """Where Spark stored a mart's Parquet files (a managed table in schema `marts`)."""
        return self.warehouse / "marts.db" / mart


def spark_dir(settings: Settings) -> Path:
    return settings.build_dir / "spark"


def spark_env(settings: Settings, base: dict | None = None) -> dict:
    env = dict(os.environ if base is None else base)
    env.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # the driver binds to loopback only
    env.setdefault("CHIPWATCH_SPARK_WAREHOUSE", str(spark_dir(settings) / "warehouse"))
    return env


def build_on_spark(
    settings: Settings,
    dbt: Path = DEFAULT_DBT,
    extra_args: list[str] | None = None,
    base_env: dict | None = None,
    timeout: int = 1800,
) -> SparkBuild:
    """`dbt build --target spark` on this home's Parquet for its source mode; output to build/spark/dbt.log."""
    dbt = Path(dbt).absolute()  # dbt runs in build/spark/ (Spark's working folder)
    if not dbt.exists():
        raise FileNotFoundError(f"{dbt} is missing: `make test-spark` (or `make build-spark`) installs .venv-spark/")
    work = spark_dir(settings)
    work.mkdir(parents=True, exist_ok=True)
    env = spark_env(settings, base_env)
    target_path = work / "dbt-target"
    dbt_vars = {"parquet_dir": str(settings.parquet_dir.resolve()), "source_mode": settings.source}
    args = [
        str(dbt),
        "build",
        "--target",
        "spark",
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--target-path",
        str(target_path),
        "--log-path",
        str(work / "logs"),
        "--vars",
        json.dumps(dbt_vars),
        *(extra_args or []),
    ]
    log = work / "dbt.log"
    started = time.monotonic()
    with log.open("w") as fh:
        proc = subprocess.run(args, cwd=work, env=env, stdout=fh, stderr=subprocess.STDOUT, timeout=timeout)
    return SparkBuild(
        proc.returncode, time.monotonic() - started, log, Path(env["CHIPWATCH_SPARK_WAREHOUSE"]), target_path
    )


def main(argv: list[str]) -> int:
    dbt = DEFAULT_DBT
    if argv[:1] == ["--dbt"]:
        dbt, argv = Path(argv[1]), argv[2:]
    settings = load_settings()
    build = build_on_spark(settings, dbt, argv)
    print(
        f"spark build ({settings.source}): exit {build.returncode} in {build.seconds:.1f} s; log {build.log}; "
        f"marts under {build.warehouse / 'marts.db'}",
        file=sys.stderr,
    )
    return build.returncode


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
