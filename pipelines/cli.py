"""The `chipwatch` command: refresh the warehouse, query it.

    chipwatch refresh [--source sample|live]   land every source, build with dbt, publish; prints a summary
    chipwatch backfill --start D --end D      fetch that range again (prices, trade), then build and publish
    chipwatch status                          per source: last success, age against its cadence (exit 1 if stale)
    chipwatch export --format parquet|csv --out DIR   every mart as one file each
    chipwatch query "SQL" | --file F | - [--format table|csv|json|markdown]   read-only SQL on the published file

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
from datetime import datetime, timezone
from pathlib import Path

from .lib.config import PROJECT_ROOT, load_settings
from .lib.errors import ConfigError
from .lib.status import SOURCES

EXIT_OK, EXIT_PARTIAL, EXIT_FAILED, EXIT_LOCKED, EXIT_CONFIG = 0, 1, 2, 3, 4


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="chipwatch", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_refresh = sub.add_parser("refresh", help="land every source, build, publish")
    p_refresh.add_argument("--source", choices=("sample", "live"), help="default: $CHIPWATCH_SOURCE or sample")
    p_backfill = sub.add_parser("backfill", help="fetch a date range again (prices and trade), then rebuild")
    p_backfill.add_argument("--start", required=True, help="YYYY-MM-DD")
    p_backfill.add_argument("--end", required=True, help="YYYY-MM-DD")
    p_backfill.add_argument("--source", choices=("sample", "live"), help="default: $CHIPWATCH_SOURCE or sample")
    p_backfill.add_argument("--only", choices=("prices", "trade"), action="append",
                            help="limit to one source (repeatable); default both")
    sub.add_parser("status", help="per source: last success, rows, age against its cadence; exit 1 when stale")
    p_export = sub.add_parser("export", help="write every mart of the published warehouse to a folder")
    p_export.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    p_export.add_argument("--out", required=True, help="folder to write <mart>.<format> files into")
    p_query = sub.add_parser("query", help="read-only SQL on the published warehouse")
    p_query.add_argument("sql", nargs="?", help="the SQL; '-' or nothing to read it from standard input")
    p_query.add_argument("--file", help="read the SQL from this file")
    p_query.add_argument("--format", choices=("table", "csv", "json", "markdown"), default="table")
    args = parser.parse_args(argv)
    try:
        if args.command == "refresh":
            return refresh(args.source)
        if args.command == "backfill":
            return refresh(args.source, (args.start, args.end), args.only or ["prices", "trade"])
        if args.command == "status":
            return status()
        if args.command == "export":
            return export(args.format, Path(args.out))
        if args.file:
            sql = Path(args.file).read_text()
        elif args.sql in (None, "-"):
            sql = sys.stdin.read()
        else:
            sql = args.sql
        return query(sql, args.format)
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


def refresh(source: str | None, backfill: tuple[str, str] | None = None, sources: list[str] | None = None) -> int:
    settings = load_settings(source)
    _progress_logging()
    started = time.monotonic()
    print(f"chipwatch {'backfill' if backfill else 'refresh'}: source={settings.source}"
          + (" (bundled SYNTHETIC prices and trade flows, not market data)" if settings.source == "sample" else "")
          + f", home={settings.home}", file=sys.stderr)
    try:
        with refresh_lock(settings.home):
            from .lib.landing import clean_stale_temp_files

            clean_stale_temp_files(settings.home)  # a killed run's half-written files never count as complete
            outcome = run_refresh(settings.source, backfill, sources or list(SOURCES))
    except RuntimeError as exc:
        print(f"chipwatch: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    outcome["duration_s"] = round(time.monotonic() - started, 1)
    print_summary(settings, outcome)
    if not outcome["published"]:
        return EXIT_FAILED
    return EXIT_PARTIAL if outcome["failed_items"] else EXIT_OK


def run_refresh(source: str, backfill: tuple[str, str] | None, sources: list[str]) -> dict:
    """Land each source in its own run (a failing source fails only its own assets), then rebuild and publish."""
    from .defs.refresh_log import FAILURES_TAG, REQUESTED_TAG
    from .definitions import defs

    instance = dagster_instance()
    release_dead_runs(instance)
    config = {"source": source}
    if backfill:
        config.update(backfill_start=backfill[0], backfill_end=backfill[1])
    run_config = {
        "resources": {"chipwatch": {"config": config}},
        "loggers": {"console": {"config": {"log_level": "WARNING"}}},
    }
    failed_items, warnings, requested, failed_steps, step_errors, landed = {}, {}, 0, [], [], 0
    for name in sources:
        result = _execute(defs.resolve_job_def(f"ingest_{name}"), run_config, instance)
        failed_items.update(result["failed"])
        warnings.update(result["warnings"])
        requested += result["requested"]
        landed += result["success"]
        if not result["success"]:
            for step, message in result["step_errors"]:
                failed_items[f"{name}:{step}"] = message
    if not landed:  # nothing new: leave the published warehouse exactly as it is
        return {"run_id": None, "published": False, "mart_rows": {}, "path": None, "failed_items": failed_items,
                "warnings": warnings, "failed_steps": ["ingestion"],
                "step_errors": ["no source landed anything; not rebuilding"]}
    tags = {FAILURES_TAG: json.dumps(failed_items)[:60000], REQUESTED_TAG: str(requested)}
    build = _execute(defs.resolve_job_def("build_and_publish"), run_config, instance, tags)
    publish = build["materialized"].get("published_warehouse")
    if not build["success"]:
        failed_steps, step_errors = zip(*build["step_errors"]) if build["step_errors"] else ((), ())
    return {
        "run_id": build["run_id"],
        "published": publish is not None,
        "mart_rows": publish["mart_rows"] if publish else {},
        "path": publish["path"] if publish else None,
        "failed_items": failed_items,
        "warnings": warnings,
        "failed_steps": list(failed_steps),
        "step_errors": list(step_errors),
    }


PID_TAG = "chipwatch/pid"


def release_dead_runs(instance) -> int:
    """A refresh killed mid-run leaves its Dagster run 'started' and its concurrency-pool slot claimed, and the next
    run would wait for that slot forever. Runs this CLI started (tagged with their pid) whose process is gone are
    marked failed and their slots freed. Called under the refresh lock, so no live CLI run is touched."""
    from dagster import DagsterRunStatus, RunsFilter

    released = 0
    live = [DagsterRunStatus.STARTED, DagsterRunStatus.STARTING, DagsterRunStatus.NOT_STARTED]
    for record in instance.get_run_records(RunsFilter(statuses=live)):
        run = record.dagster_run
        pid = run.tags.get(PID_TAG)
        if pid is None or _alive(int(pid)):
            continue
        instance.report_run_failed(run, f"its process ({pid}) is gone: the refresh was killed")
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        released += 1
    if released:
        logging.getLogger("chipwatch").warning("released %d run(s) left by a killed refresh", released)
    return released


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return pid != os.getpid()


def _execute(job, run_config: dict, instance, tags: dict | None = None) -> dict:
    tags = {**(tags or {}), PID_TAG: str(os.getpid())}
    with redirect_stdout(sys.stderr):  # dbt's progress lines go to stderr; stdout carries only the summary
        result = job.execute_in_process(run_config=run_config, instance=instance, raise_on_error=False, tags=tags)
    materialized = {}
    for event in result.get_asset_materialization_events():
        mat = event.event_specific_data.materialization
        materialized[mat.asset_key.to_user_string()] = {k: v.value for k, v in mat.metadata.items()}
    failed, warnings, requested = {}, {}, 0
    for metadata in materialized.values():
        failed.update(metadata.get("failed") or {})
        warnings.update(metadata.get("warnings") or {})
        requested += int(metadata.get("items_requested") or 0)
    failures = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    return {
        "run_id": result.run_id,
        "success": result.success,
        "materialized": materialized,
        "failed": failed,
        "warnings": warnings,
        "requested": requested,
        "step_errors": [(e.step_key, _failure_text(e)) for e in failures],
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
    print(f"run id      : {outcome['run_id'] or '-'}", file=out)
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


# -- status ---------------------------------------------------------------------------------------------------------

def status() -> int:
    """Per source: last successful refresh, rows, age against its cadence, and what the published warehouse was built
    from. Exit 1 when a source is stale or its last attempt failed (cron users alert on it)."""
    import duckdb

    from .lib import status as source_status

    settings = load_settings()
    now = datetime.now(timezone.utc)
    problems = 0
    print(f"chipwatch status — {settings.home} (source mode {settings.source})")
    print(f"{'source':<8}  {'state':<6}  {'last success (UTC)':<20}  {'age':>8}  {'cadence':>8}  {'rows':>9}  last attempt")
    for name in source_status.SOURCES:
        st = source_status.read(settings, name)
        age = st.age(now)
        stale = st.is_stale(now)
        state = "stale" if stale else "fresh"
        attempt = "never" if st.last_attempt_at is None else (
            "ok" if st.last_attempt_ok else f"FAILED {st.last_attempt_at:%Y-%m-%d %H:%M}: {st.error}")
        if st.last_attempt_ok and st.items_failed:
            attempt = f"ok, {st.items_failed} item(s) failed"
        if st.last_attempt_ok is False:
            attempt += " — its marts keep the data of the last success"
        problems += stale or st.last_attempt_ok is False
        success = f"{st.last_success_at:%Y-%m-%d %H:%M}" if st.last_success_at else "never"
        rows = f"{st.rows:,}" if st.rows is not None else "-"
        print(f"{name:<8}  {state:<6}  {success:<20}  {_age(age):>8}  {_age(source_status.CADENCE[name]):>8}  "
              f"{rows:>9}  {attempt[:300]}")
    db = settings.published_db
    if db.exists():
        try:
            con = duckdb.connect(str(db), read_only=True)
            mode, started = con.execute("select source_mode, started_at from marts.meta_refreshes "
                                        "order by started_at desc limit 1").fetchone()
            con.close()
            synthetic = " (SYNTHETIC sample data)" if mode == "sample" else ""
            print(f"published : {db} — built from {mode}{synthetic}, refresh started {started:%Y-%m-%d %H:%M} UTC")
        except duckdb.Error as exc:
            print(f"published : {db} — unreadable: {exc}")
            problems += 1
    else:
        print(f"published : none at {db}")
        problems += 1
    return 1 if problems else 0


def _age(delta) -> str:
    if delta is None:
        return "-"
    hours = delta.total_seconds() / 3600
    return f"{hours:.1f}h" if hours < 48 else f"{hours / 24:.1f}d"


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


def export(fmt: str, out: Path) -> int:
    from .lib.publish import export_marts

    settings = load_settings()
    if not settings.published_db.exists():
        print(f"chipwatch: no published warehouse at {settings.published_db}; run `chipwatch refresh` first",
              file=sys.stderr)
        return EXIT_FAILED
    written = export_marts(settings.published_db, out.expanduser().resolve(), fmt)
    for name, path in written.items():
        print(f"{name:<32} {path}")
    return EXIT_OK


def write_rows(columns: list[str], rows: list[tuple], fmt: str, out) -> None:
    if fmt == "markdown":
        cells = [[_cell(v).replace("|", "\\|") for v in r] for r in rows]
        out.write("| " + " | ".join(columns) + " |\n")
        out.write("|" + "|".join("---" for _ in columns) + "|\n")
        for r in cells:
            out.write("| " + " | ".join(r) + " |\n")
        return
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
