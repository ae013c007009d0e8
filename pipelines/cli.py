"""The `chipwatch` command: refresh the warehouse, query it. It parses, calls and prints; the refresh itself is
pipelines/refresh.py, shared with the schedules and the Dagster UI.

    chipwatch refresh [--source sample|live]   land every source, build with dbt, publish; prints a summary
    chipwatch backfill --start D --end D [--only yahoo|comtrade]   ask for the partitions covering that range again
                                              (months of prices, years of trade), then build and publish
    chipwatch status                          per source: last success, age against its cadence (exit 1 if stale)
    chipwatch export --format parquet|csv --out DIR   every mart as one file each
    chipwatch query "SQL" | --file F | - [--format table|csv|json|markdown]   read-only SQL on the published file

Exit codes of refresh and backfill: 0 all good; 1 published, but some items failed to land (listed), or the exports
or report could not be rewritten (the next refresh redoes them); 2 nothing published (the previous warehouse is
untouched); 3 another refresh holds the lock; 4 bad configuration.
Any command: 5 bad usage or input (an unknown or missing argument, a --file that cannot be read, SQL that is empty,
only comments, fails or is refused); 6 the output cannot be written (--out empty, or not a regular file: a device,
FIFO, socket or folder; a read-only or full target); 141 the reader closed standard output early (a broken pipe).
Each says what went wrong, and what to do, in one line on standard error. CSV output (query, export) puts a single
quote before a text cell that starts with =, +, -, @, a tab or a carriage return: a spreadsheet shows it as text, never
runs it as a formula.
"""

import argparse
import csv
import json
import logging
import os
import re
import stat
import sys
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path

from .lib.config import load_settings
from .lib.csv_safety import neutralise_row
from .lib.errors import ConfigError, PublishError

EXIT_OK, EXIT_PARTIAL, EXIT_FAILED, EXIT_LOCKED, EXIT_CONFIG = 0, 1, 2, 3, 4
EXIT_USAGE, EXIT_OUTPUT, EXIT_BROKEN_PIPE = 5, 6, 141  # 141: 128 + SIGPIPE, as a program killed by it exits
BACKFILL_SOURCES = ("yahoo", "comtrade")  # the partitioned sources; epoch and french: whole files, fetched whole


class Refused(Exception):
    """A request chipwatch will not carry out (bad input, an output it cannot write): one line, and its exit code."""

    def __init__(self, message: str, code: int):
        super().__init__(message)
        self.code = code


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error exits EXIT_USAGE (argparse's 2 is chipwatch's "nothing published")."""

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(prog="chipwatch", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_refresh = sub.add_parser("refresh", help="land every source, build, publish")
    p_refresh.add_argument("--source", choices=("sample", "live"), help="default: $CHIPWATCH_SOURCE or sample")
    p_refresh.add_argument(
        "--full-rebuild",
        action="store_true",
        help="rebuild every model from an empty database (default: only what changed)",
    )
    p_backfill = sub.add_parser("backfill", help="ask again for the partitions covering a date range, then rebuild")
    p_backfill.add_argument("--start", required=True, type=_iso_date, help="YYYY-MM-DD")
    p_backfill.add_argument("--end", required=True, type=_iso_date, help="YYYY-MM-DD")
    p_backfill.add_argument("--source", choices=("sample", "live"), help="default: $CHIPWATCH_SOURCE or sample")
    p_backfill.add_argument(
        "--only", choices=BACKFILL_SOURCES, action="append", help="limit to one source (repeatable); default both"
    )
    sub.add_parser("status", help="per source: last success, rows, age against its cadence; exit 1 when stale")
    p_export = sub.add_parser("export", help="write every mart of the published warehouse to a folder")
    p_export.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    p_export.add_argument("--out", required=True, help="folder to write <mart>.<format> files into")
    p_report = sub.add_parser("report", help="the claims, their verdicts and charts as one self-contained HTML file")
    p_report.add_argument("--out", required=True, help="the HTML file to write")
    p_query = sub.add_parser("query", help="read-only SQL on the published warehouse")
    p_query.add_argument("sql", nargs="?", help="the SQL; '-' or nothing to read it from standard input")
    p_query.add_argument("--file", help="read the SQL from this file")
    p_query.add_argument("--format", choices=("table", "csv", "json", "markdown"), default="table")
    args = parser.parse_args(argv)
    try:
        code = _command(args)
        sys.stdout.flush()  # a reader that closed the pipe early shows here, not as a traceback at exit
        return code
    except ConfigError as exc:
        print(f"chipwatch: configuration: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except Refused as exc:
        print(f"chipwatch {args.command}: {exc}", file=sys.stderr)
        return exc.code
    except BrokenPipeError:
        # Python's documented way (the signal module's note on SIGPIPE): no more writes to the closed pipe
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        print(
            f"chipwatch {args.command}: the reader closed standard output before the end (broken pipe), so the "
            "output is cut short; read it to the end, or ask for fewer rows (LIMIT)",
            file=sys.stderr,
        )
        return EXIT_BROKEN_PIPE


def _command(args) -> int:
    if args.command == "refresh":
        return refresh(args.source, full_rebuild=args.full_rebuild)
    if args.command == "backfill":
        if args.start > args.end:
            raise ConfigError(f"backfill start {args.start} is after its end {args.end}")
        return refresh(args.source, (args.start, args.end), args.only or list(BACKFILL_SOURCES))
    if args.command == "status":
        return status()
    if args.command == "export":
        return export(args.format, output_path(args.out, folder=True))
    if args.command == "report":
        return report(output_path(args.out))
    if args.file is not None:
        try:
            sql = Path(args.file).expanduser().read_text()
        except (OSError, ValueError) as exc:  # missing, a folder, unreadable, not UTF-8, a NUL in the name
            reason = getattr(exc, "strerror", None) or str(exc).splitlines()[0][:120]
            raise Refused(
                f"cannot read --file {args.file!r}: {reason}; give the path of a readable SQL file", EXIT_USAGE
            ) from None
    elif args.sql in (None, "-"):
        try:
            sql = sys.stdin.read()
        except (OSError, ValueError) as exc:
            raise Refused(
                f"cannot read the SQL from standard input: {exc}; pass it as an argument or with --file", EXIT_USAGE
            ) from None
    else:
        sql = args.sql
    return query(sql, args.format)


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
)


def output_path(text: str, folder: bool = False) -> Path:
    """--out as a path chipwatch may write: never the empty path, and an existing path (or what a symlink points to)
    only if it is a regular file (a folder, for `export`): never a device, FIFO or socket, which an atomic rename
    would replace with a regular file (as root, /dev/full) or a write would block on. Refused: exit EXIT_OUTPUT."""
    if not text.strip() or "\x00" in text:
        raise Refused(
            f"--out {text!r} names no path; give a {'folder' if folder else 'file'} to write "
            f"({'e.g. ./exports' if folder else 'e.g. ./report.html'})",
            EXIT_OUTPUT,
        )
    path = Path(text).expanduser()
    try:
        mode = path.stat().st_mode  # follows a symlink: its target is what would be replaced
    except FileNotFoundError:
        return path.resolve()
    except OSError as exc:
        raise Refused(f"cannot use --out {text}: {exc.strerror}; choose another path", EXIT_OUTPUT) from None
    if stat.S_ISDIR(mode) if folder else stat.S_ISREG(mode):
        return path.resolve()
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    wanted = "a folder" if folder else "a regular file"
    raise Refused(f"--out {text} is {kind}, not {wanted}; choose another path", EXIT_OUTPUT)


def _write_failed(path, exc: Exception) -> Refused:
    number = getattr(exc, "errno", None)
    if number is None:  # DuckDB's IO errors (a PublishError's cause) carry the OS error number in their text
        found = re.search(r'"errno":\s*"?(\d+)', str(exc))
        number = int(found.group(1)) if found else None
    reason = os.strerror(number) if number else str(exc).splitlines()[0][:300]
    return Refused(
        f"cannot write {path}: {reason}; choose another --out (a writable place with free space)", EXIT_OUTPUT
    )


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be YYYY-MM-DD, got {text[:20]!r}") from None


# -- refresh ------------------------------------------------------------------------------------------------------


def refresh(
    source: str | None,
    backfill: tuple[date, date] | None = None,
    sources: list[str] | None = None,
    full_rebuild: bool = False,
) -> int:
    from . import refresh as refresh_path
    from .definitions import build_definitions
    from .lib.locks import Locked

    settings = load_settings(source)
    _progress_logging()
    synthetic = (
        " (bundled SYNTHETIC prices, factors and trade flows, not market data)" if settings.source == "sample" else ""
    )
    print(
        f"chipwatch {'backfill' if backfill else 'refresh'}: source={settings.source}{synthetic}, home={settings.home}",
        file=sys.stderr,
    )
    try:
        outcome = refresh_path.run(partial(build_definitions, settings), settings, sources, backfill, full_rebuild)
    except Locked as exc:
        print(f"chipwatch: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    except ConfigError:
        raise
    except Exception as exc:  # noqa: BLE001 - anything else left nothing published: say so, exit 2 (not 1)
        logging.getLogger("chipwatch").exception("refresh failed")
        print(
            f"chipwatch: the refresh failed before publishing ({type(exc).__name__}: {exc}); the previous "
            "published warehouse is unchanged",
            file=sys.stderr,
        )
        return EXIT_FAILED
    print_summary(outcome)
    if "database" in outcome.publish_lag or not (outcome.up_to_date or outcome.publish_steps_done):
        return EXIT_FAILED
    return EXIT_PARTIAL if outcome.failed_items or outcome.failed_sources or outcome.publish_lag else EXIT_OK


def print_summary(outcome) -> None:
    out = sys.stdout
    synthetic = (
        " — SYNTHETIC sample prices, factors and trade flows, not market data"
        if outcome.source_mode == "sample"
        else ""
    )
    print("", file=out)
    print(f"source mode : {outcome.source_mode}{synthetic}", file=out)
    print(f"refresh id  : {outcome.refresh_id}", file=out)
    print(f"run id      : {outcome.build_run_id or '-'}", file=out)
    if outcome.build_plan:
        print(f"build       : {outcome.build_plan}", file=out)
    if outcome.up_to_date:
        print(
            "published   : unchanged (no new data since the last build: the published warehouse, its exports "
            "and report hold the last build)",
            file=out,
        )
    elif outcome.published:
        print(f"published   : {outcome.published_path} (build {outcome.published_build})", file=out)
        width = max((len(k) for k in outcome.mart_rows), default=10)
        for name, rows in sorted(outcome.mart_rows.items()):
            print(f"  {name:<{width}}  {rows:>10,} rows", file=out)
    else:
        reason = outcome.not_built_reason or "nothing to rebuild"
        print(
            f"published   : NOTHING new in the database ({reason}) — the published database is unchanged"
            + (f" (build {outcome.published_build})" if outcome.published_build else ""),
            file=out,
        )
    redone = [s for s in outcome.publish_steps_done if s != "database"]
    if redone and "database" not in outcome.publish_steps_done:  # a publish cut short, finished now
        print(f"rewritten   : {', '.join(redone)} (from build {outcome.published_build})", file=out)
    if outcome.publish_lag:
        print(
            f"lagging     : {', '.join(outcome.publish_lag)} still hold an older build than the build database "
            "(see the failed steps); the next refresh redoes them",
            file=out,
        )
    if outcome.failed_sources:
        print(
            f"failed sources: {len(outcome.failed_sources)} (their marts keep the data of their last success)", file=out
        )
        for source, message in sorted(outcome.failed_sources.items()):
            print(f"  {source}: {message[:500]}", file=out)
    failed = outcome.failed_items
    if failed:
        print(f"failed      : {len(failed)} item(s)", file=out)
        for item, message in sorted(failed.items()):
            print(f"  {item}: {message[:500]}", file=out)
    if outcome.warnings:
        print(f"warnings    : {len(outcome.warnings)}", file=out)
        for item, message in sorted(outcome.warnings.items()):
            print(f"  {item}: {message}", file=out)
    if outcome.dbt_log:
        print(f"dbt log     : {outcome.dbt_log}", file=out)
    print(f"duration    : {outcome.duration_s} s", file=out)


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
    settings = load_settings()
    now = datetime.now(UTC)
    problems = 0
    for mode_settings in status_modes(settings):
        problems += _status_of_mode(mode_settings, now)
    problems += _published_status(settings)
    return 1 if problems else 0


def status_modes(settings):
    """The source modes `status` describes: the one asked for (CHIPWATCH_SOURCE), else every mode this home holds
    data of (a live-built home is described as live without setting the mode), else the default."""
    import dataclasses
    import os

    if os.environ.get("CHIPWATCH_SOURCE"):
        return [settings]
    held = [m for m in ("live", "sample") if (settings.home / "parquet" / m).is_dir()]
    return [dataclasses.replace(settings, source=m) for m in held] or [settings]


def _status_of_mode(settings, now) -> int:
    """One mode's table of datasets; returns how many are stale or failed."""
    from .lib import status as source_status

    problems = 0
    print(f"chipwatch status — {settings.home} (source mode {settings.source})")
    width = max(map(len, source_status.DATASETS))
    print(
        f"{'dataset':<{width}}  {'state':<6}  {'last success (UTC)':<18}  {'age':>6}  {'cadence':>7}  {'rows':>9}  "
        "last attempt"
    )
    for name, st in source_status.read_all(settings).items():
        age = st.age(now)
        stale = st.is_stale(now)
        state = "stale" if stale else "fresh"
        attempt = (
            "never"
            if st.last_attempt_at is None
            else ("ok" if st.last_attempt_ok else f"FAILED {st.last_attempt_at:%Y-%m-%d %H:%M}: {st.error}")
        )
        if st.last_attempt_ok and st.items_failed:
            attempt = f"ok, {st.items_failed} item(s) failed"
        if st.last_attempt_ok is False:
            attempt += " — its marts keep the data of the last success"
        problems += stale or st.last_attempt_ok is False
        success = f"{st.last_success_at:%Y-%m-%d %H:%M}" if st.last_success_at else "never"
        rows = f"{st.rows:,}" if st.rows is not None else "-"
        print(
            f"{name:<{width}}  {state:<6}  {success:<18}  {_age(age):>6}  "
            f"{_age(source_status.CADENCE[st.source]):>7}  {rows:>9}  {attempt[:300]}"
        )
    return problems


def _published_status(settings) -> int:
    """The published file: which mode built it, the coverage line, a lagging publish."""
    import duckdb

    from .lib.publish import lag_of

    problems = 0
    db = settings.published_db
    if db.exists():
        try:
            con = duckdb.connect(str(db), read_only=True)
            mode, started = con.execute(
                "select source_mode, started_at from marts.meta_refreshes order by started_at desc limit 1"
            ).fetchone()
            coverage = con.execute(
                "select year, max(tier2_countries_reporting), max(tier2_countries) from marts.fct_tier2_sourcing "
                "where frequency = 'annual' and hs_code = '8542' group by year order by year desc limit 1"
            ).fetchone()
            con.close()
            synthetic = " (SYNTHETIC sample data)" if mode == "sample" else ""
            print(f"published : {db} — built from {mode}{synthetic}, refresh started {started:%Y-%m-%d %H:%M} UTC")
            lag = lag_of(settings)
            if lag:  # a publish was cut short: the next refresh finishes it
                print(
                    f"publish   : LAGGING — {', '.join(lag)} hold an older build than the build database "
                    f"(see {settings.publish_record.name}); run `chipwatch refresh` to finish the publish"
                )
                problems += 1
            if coverage:  # a gap said out loud: most Tier-2 countries give Comtrade no partner detail
                year, reporting, asked = coverage
                print(
                    f"coverage  : comtrade HS 8542 imports by partner, {year}: {reporting} of {asked} Tier-2 "
                    f"countries asked reported; the other {asked - reporting} answered nothing "
                    "(marts.fct_tier2_sourcing.country_reported)"
                )
        except duckdb.Error as exc:
            print(f"published : {db} — unreadable: {exc}")
            problems += 1
    else:
        print(f"published : none at {db}")
        problems += 1
    return problems


def _age(delta) -> str:
    if delta is None:
        return "-"
    if delta.total_seconds() < 0:  # a success recorded after "now": the clock moved back since
        return "future"
    hours = delta.total_seconds() / 3600
    return f"{hours:.1f}h" if hours < 48 else f"{hours / 24:.1f}d"


# -- query --------------------------------------------------------------------------------------------------------


def query(sql: str, fmt: str) -> int:
    import duckdb

    try:
        empty = not duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        print(f"chipwatch query: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if empty:
        raise Refused(
            "the SQL holds no statement (it is empty, or only blanks and comments); give one, e.g. "
            '"select * from marts.dim_events limit 5"',
            EXIT_USAGE,
        )
    settings = load_settings()
    db = settings.published_db
    if not db.exists():
        print(
            f"chipwatch: no published warehouse at {db}; run `chipwatch refresh` (or `make run`) first", file=sys.stderr
        )
        return EXIT_FAILED
    try:
        # no file access at all: not even under DuckDB's temp folder (<db>.tmp, which COPY ... TO could write into
        # once DuckDB had created it); a query too large for memory fails instead of spilling to disk
        con = duckdb.connect(str(db), read_only=True, config={"enable_external_access": False, "temp_directory": ""})
        # a mart by its name alone (`select * from fct_claims`), as BI users and newcomers write it
        con.execute("SET search_path = 'marts,main'")
        con.execute("SET TimeZone = 'UTC'")  # instants print in UTC with their offset, whatever the machine's zone
        con.execute("SET lock_configuration = true")
        cur = con.execute(sql)
        columns = [d[0] for d in cur.description] if cur.description else []
        rows = cur.fetchall() if columns else []
    except duckdb.Error as exc:
        print(f"chipwatch query: {exc}", file=sys.stderr)
        return EXIT_USAGE
    write_rows(columns, rows, fmt, sys.stdout)
    return EXIT_OK


def export(fmt: str, out: Path) -> int:
    from .lib.publish import export_marts

    settings = load_settings()
    if not settings.published_db.exists():
        print(
            f"chipwatch: no published warehouse at {settings.published_db}; run `chipwatch refresh` first",
            file=sys.stderr,
        )
        return EXIT_FAILED
    import duckdb

    con = duckdb.connect(str(settings.published_db), read_only=True)
    try:  # every file the export would replace must be a regular file (see output_path)
        names = [
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        ]
    finally:
        con.close()
    for name in names:
        output_path(str(out / f"{name}.{fmt}"))
    try:
        written = export_marts(settings.published_db, out.expanduser().resolve(), fmt)
    except (OSError, PublishError) as exc:  # a read-only or full target
        raise _write_failed(out, exc) from None
    for name, path in written.items():
        print(f"{name:<32} {path}")
    return EXIT_OK


def report(out: Path) -> int:
    from .lib import report as html_report

    settings = load_settings()
    if not settings.published_db.exists():
        print(
            f"chipwatch: no published warehouse at {settings.published_db}; run `chipwatch refresh` first",
            file=sys.stderr,
        )
        return EXIT_FAILED
    try:
        written = html_report.write(settings.published_db, out)  # `out` checked by output_path; written atomically
    except OSError as exc:  # a read-only or full target
        raise _write_failed(out, exc) from None
    print(written)
    return EXIT_OK


def write_rows(columns: list[str], rows: list[tuple], fmt: str, out) -> None:
    if fmt == "markdown":
        cells = [[_cell(v).replace("|", "\\|") for v in r] for r in rows]
        out.write("| " + " | ".join(columns) + " |\n")
        out.write("|" + "|".join("---" for _ in columns) + "|\n")
        for r in cells:
            out.write("| " + " | ".join(r) + " |\n")
        return
    if fmt == "csv":  # text cells a spreadsheet would run as formulas are neutralised (pipelines/lib/csv_safety.py)
        writer = csv.writer(out)
        writer.writerow(neutralise_row(columns))
        writer.writerows(map(neutralise_row, rows))
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
