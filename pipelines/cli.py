"""The `chipwatch` command: refresh the warehouse, query it.

    chipwatch refresh [--source sample|live]   land every source, build with dbt, publish; prints a summary
    chipwatch query "SQL" [--format table|csv|json]   read-only SQL on the published warehouse

Exit codes of refresh: 0 all good; 1 published, but some items failed to land (listed); 2 nothing published
(the previous warehouse is untouched); 3 another refresh holds the lock; 4 bad configuration.
"""

import argparse
import csv
import fcntl
import json
import logging
import os
import shutil
import sys
import time
from contextlib import contextmanager, redirect_stdout
from pathlib import Path

from .lib.config import PROJECT_ROOT, load_settings
from .lib.errors import ConfigError

EXIT_OK, EXIT_PARTIAL, EXIT_FAILED, EXIT_LOCKED, EXIT_CONFIG = 0, 1, 2, 3, 4


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="chipwatch", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_refresh = sub.add_parser("refresh", help="land every source, build, publish")
    p_refresh.add_argument("--source", choices=("sample", "live"), help="default: $CHIPWATCH_SOURCE or sample")
    p_query = sub.add_parser("query", help="read-only SQL on the published warehouse")
    p_query.add_argument("sql")
    p_query.add_argument("--format", choices=("table", "csv", "json"), default="table")
    args = parser.parse_args(argv)
    try:
        if args.command == "refresh":
            return refresh(args.source)
        return query(args.sql, args.format)
    except ConfigError as exc:
        print(f"chipwatch: configuration: {exc}", file=sys.stderr)
        return EXIT_CONFIG


# -- refresh ------------------------------------------------------------------------------------------------------

@contextmanager
def refresh_lock(home: Path):
    home.mkdir(parents=True, exist_ok=True)
    path = home / ".refresh.lock"
    with open(path, "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "another process"
            raise RuntimeError(f"another refresh is running ({holder}); try again when it ends") from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()}")
        fh.flush()
        try:
            yield
        finally:
            fh.seek(0)
            fh.truncate()
            fcntl.flock(fh, fcntl.LOCK_UN)


def dagster_instance():
    """A persistent instance under $DAGSTER_HOME (default .dagster_home/, holding a copy of dagster.yaml)."""
    from dagster import DagsterInstance

    home = Path(os.environ.get("DAGSTER_HOME") or PROJECT_ROOT / ".dagster_home").resolve()
    home.mkdir(parents=True, exist_ok=True)
    source = PROJECT_ROOT / "dagster.yaml"
    target = home / "dagster.yaml"
    if source.exists() and (not target.exists() or target.read_bytes() != source.read_bytes()):
        shutil.copyfile(source, target)
    os.environ["DAGSTER_HOME"] = str(home)
    return DagsterInstance.get()


def refresh(source: str | None) -> int:
    settings = load_settings(source)
    _progress_logging()
    started = time.monotonic()
    print(f"chipwatch refresh: source={settings.source}"
          + (" (bundled SYNTHETIC prices and trade flows, not market data)" if settings.source == "sample" else "")
          + f", home={settings.home}", file=sys.stderr)
    try:
        with refresh_lock(settings.home):
            outcome = run_refresh_job(settings.source)
    except RuntimeError as exc:
        print(f"chipwatch: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    outcome["duration_s"] = round(time.monotonic() - started, 1)
    print_summary(settings, outcome)
    if not outcome["published"]:
        return EXIT_FAILED
    return EXIT_PARTIAL if outcome["failed_items"] else EXIT_OK


def run_refresh_job(source: str) -> dict:
    from dagster import AssetKey

    from .definitions import defs

    job = defs.resolve_job_def("refresh")
    run_config = {
        "resources": {"chipwatch": {"config": {"source": source}}},
        "loggers": {"console": {"config": {"log_level": "WARNING"}}},
    }
    with redirect_stdout(sys.stderr):  # dbt's progress lines go to stderr; stdout carries only the summary
        result = job.execute_in_process(run_config=run_config, instance=dagster_instance(), raise_on_error=False)
    materialized = {}
    for event in result.get_asset_materialization_events():
        mat = event.event_specific_data.materialization
        materialized[mat.asset_key] = {k: v.value for k, v in mat.metadata.items()}
    failures = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    failed_steps = [e.step_key for e in failures]
    step_errors = [_failure_text(e) for e in failures]
    publish = materialized.get(AssetKey("published_warehouse"))
    failed_items, warnings = {}, {}
    for metadata in materialized.values():
        failed_items.update(metadata.get("failed") or {})
        warnings.update(metadata.get("warnings") or {})
    return {
        "run_id": result.run_id,
        "published": publish is not None,
        "mart_rows": publish["mart_rows"] if publish else {},
        "path": publish["path"] if publish else None,
        "failed_items": failed_items,
        "warnings": warnings,
        "failed_steps": failed_steps,
        "step_errors": step_errors,
    }


def _failure_text(event) -> str:
    """The user-facing reason of a failed step: a dg.Failure's description, else the innermost error message."""
    data = event.event_specific_data
    user = getattr(data, "user_failure_data", None)
    if user is not None and user.description:
        return user.description
    err, parts = getattr(data, "error", None), []
    while err is not None:
        parts.append(err.message.strip().splitlines()[-1] if err.message.strip() else err.cls_name or "")
        err = err.cause
    return parts[-1] if parts else event.message or "unknown error"


def print_summary(settings, outcome: dict) -> None:
    out = sys.stdout
    print("", file=out)
    mode = settings.source + (" — SYNTHETIC sample prices and trade flows, not market data" if settings.source == "sample" else "")
    print(f"source mode : {mode}", file=out)
    print(f"run id      : {outcome['run_id']}", file=out)
    if outcome["published"]:
        print(f"published   : {outcome['path']}", file=out)
        width = max(len(k) for k in outcome["mart_rows"]) if outcome["mart_rows"] else 10
        for name, rows in sorted(outcome["mart_rows"].items()):
            print(f"  {name:<{width}}  {rows:>10,} rows", file=out)
    else:
        print("published   : NOTHING — the previous published warehouse is unchanged", file=out)
        for step, message in zip(outcome["failed_steps"], outcome["step_errors"]):
            print(f"  failed step {step}: {message[:500]}", file=out)
    if outcome["failed_items"]:
        print(f"failed      : {len(outcome['failed_items'])} item(s)", file=out)
        for item, message in sorted(outcome["failed_items"].items()):
            print(f"  {item}: {message}", file=out)
    if outcome["warnings"]:
        print(f"warnings    : {len(outcome['warnings'])}", file=out)
        for item, message in sorted(outcome["warnings"].items()):
            print(f"  {item}: {message}", file=out)
    print(f"duration    : {outcome['duration_s']} s", file=out)


def _progress_logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
    logger = logging.getLogger("chipwatch")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO)
    logger.propagate = False


# -- query --------------------------------------------------------------------------------------------------------

def query(sql: str, fmt: str) -> int:
    import duckdb

    settings = load_settings()
    db = settings.published_db
    if not db.exists():
        print(f"chipwatch: no published warehouse at {db}; run `chipwatch refresh` (or `make run`) first",
              file=sys.stderr)
        return EXIT_FAILED
    try:
        con = duckdb.connect(str(db), read_only=True, config={"enable_external_access": False})
        con.execute("SET lock_configuration = true")
        cur = con.execute(sql)
        columns = [d[0] for d in cur.description] if cur.description else []
        rows = cur.fetchall() if columns else []
    except duckdb.Error as exc:
        print(f"chipwatch query: {exc}", file=sys.stderr)
        return EXIT_FAILED
    write_rows(columns, rows, fmt, sys.stdout)
    return EXIT_OK


def write_rows(columns: list[str], rows: list[tuple], fmt: str, out) -> None:
    if fmt == "csv":
        writer = csv.writer(out)
        writer.writerow(columns)
        writer.writerows(rows)
    elif fmt == "json":
        json.dump([dict(zip(columns, r)) for r in rows], out, default=str, indent=1)
        out.write("\n")
    else:
        cells = [[_cell(v) for v in r] for r in rows]
        widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
        out.write("  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip() + "\n")
        out.write("  ".join("-" * w for w in widths) + "\n")
        for r in cells:
            out.write("  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() + "\n")
        out.write(f"({len(rows)} row{'s' if len(rows) != 1 else ''})\n")


def _cell(value) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


if __name__ == "__main__":
    sys.exit(main())
