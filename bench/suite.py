"""chipwatch benchmarks: how the event study and a refresh grow with the universe, side by side with the best
formulation of the event study found (bench/baselines.py: BEST_QUERY, two threads, 1 GB), the hand-written DuckDB
query and the pandas + statsmodels loop an analyst would write. Never part of `make test` (a smoke test runs the
`tiny` scale there).

    make bench                                   # small, medium, large; 3 repeats (1 for the slowest steps)
    .venv/bin/python -m bench.suite --scales small --repeat 5
    BENCH_SKIP=pandas make bench                 # without the slow pandas loop
    BENCH_KEEP=/tmp/universe make bench          # keep each scale's generated universe in /tmp/universe/<scale>/

Prints a table and writes bench_results/bench-<time>.json and .md, and bench_results/latest.json. Times are medians
over the repeats (the machines are shared and noisy); peak RSS is the largest process of the measured command (dbt
runs in one process).
"""

import argparse
import dataclasses
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from bench import synthetic
from pipelines.lib import build_state
from pipelines.lib.config import DBT_PROJECT_DIR, PROJECT_ROOT, load_settings
from pipelines.lib.publish import publish_with_exports

from .baselines import best_event_study, duckdb_event_study, pandas_event_study

EVENT_STUDY_MODELS = [
    "int_daily_returns_indexed",
    "int_event_listings_anchored",
    "int_event_pairs_to_build",
    "int_event_day_returns_to_build",
    "int_event_models_fitted",
    "int_abnormal_returns_computed",
    "fct_event_returns",
]
REFRESH_SELECT = (
    "+fct_event_reaction_summary +fct_event_model_fits +fct_daily_returns +dim_listings +dim_events "
    "+fct_event_family_reactions +fct_event_model_sensitivity"
)
BIN = Path(sys.executable).parent
TOLERANCE = 1e-9
MEMORY_LIMIT = "1GB"  # the dbt build's default (CHIPWATCH_DUCKDB_MEMORY_LIMIT): the reference runs under the same
SKIP = {part.strip() for part in os.environ.get("BENCH_SKIP", "").split(",") if part.strip()}
# BENCH_KEEP=DIR keeps each scale's generated universe in DIR/<scale>/ (parquet/ in the landed layout, seeds/ with the
# listings, events, families and groups CSVs, the dbt project copy and its build database) instead of deleting it
KEEP = Path(os.environ["BENCH_KEEP"]).resolve() if os.environ.get("BENCH_KEEP") else None


def measured(cmd: list[str], env: dict, cwd: Path) -> tuple[float, int]:
    """Run a command; return (wall seconds, peak RSS in MB of its largest process)."""
    wrapper = (
        "import resource, subprocess, sys; p = subprocess.run(sys.argv[1:]); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(p.returncode)"
    )
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", wrapper, *cmd], env=env, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:3])} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-2000:]}")
    return wall, int(proc.stdout.strip().splitlines()[-1]) // 1024


def timed(fn, repeat: int):
    walls, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        walls.append(time.perf_counter() - started)
    return statistics.median(walls), result


class Universe:
    """One scale's synthetic data, a copy of the dbt project with its seeds, and the dbt command line."""

    def __init__(self, scale: synthetic.Scale, root: Path):
        self.scale, self.root = scale, root
        # the universe is a chipwatch home: its landed Parquet, build database and published file where a refresh
        # puts them, so the pipeline's build planner (pipelines/lib/build_state.py) reads it as it reads a home
        self.settings = dataclasses.replace(load_settings("sample"), home=root)
        self.parquet = self.settings.parquet_dir
        self.seeds = root / "seeds"
        self.project = root / "dbt_project"
        shutil.copytree(DBT_PROJECT_DIR, self.project, ignore=shutil.ignore_patterns("target", "logs"))
        self.counts = synthetic.generate(scale, self.parquet, self.seeds)
        for name in (
            "curated_listings.csv",
            "curated_events.csv",
            "event_families.csv",
            "listing_groups.csv",
            "listing_group_members.csv",
            "listing_fallback_benchmarks.csv",
        ):
            shutil.copyfile(self.seeds / name, self.project / "seeds" / "curated" / name)
        self.build_db = self.settings.build_db
        self.build_db.parent.mkdir(parents=True, exist_ok=True)
        self.dbt_vars = {"parquet_dir": str(self.parquet)}
        self.env = {**os.environ, "CHIPWATCH_BUILD_DB": str(self.build_db), "CHIPWATCH_HOME": str(root)}

    def dbt(self, *args: str) -> list[str]:
        return [
            str(BIN / "dbt"),
            *args,
            "--project-dir",
            str(self.project),
            "--profiles-dir",
            str(self.project),
            "--target-path",
            str(self.root / "target"),
            "--vars",
            json.dumps(self.dbt_vars),
            "--quiet",
        ]

    def refresh(self, full: bool = True) -> tuple[float, int]:
        """A refresh from the landed data: build every event-study model and its tests, then publish (the database file
        and the Parquet exports, as the pipeline does). Full: from an empty database. Not full: the pipeline's
        incremental path (pipelines/lib/build_state.py), which keeps the database and rebuilds what is downstream of
        the changed sources (here the prices: every model selected, the incremental ones computing only the rows and
        event-study pairs the new session touches)."""
        started = time.perf_counter()
        last = build_state.load(self.settings)
        now = build_state.current(self.settings, self.dbt_vars, last, self.project)
        plan = build_state.plan(self.settings, now, last, full=full)
        selection = REFRESH_SELECT.split()
        if full:
            self.build_db.unlink(missing_ok=True)
        else:  # what the refresh selects: the models downstream of the changed sources and seeds
            if plan.full:
                raise RuntimeError(f"the incremental refresh planned a full build: {plan.reason}")
            changed = [f"source:{s}+" for s in plan.changed_sources] + [f"{s}+" for s in plan.changed_seeds]
            selection = [f"{c},{s}" for c in changed for s in selection]  # intersections, as a union
        # cautious: only tests whose every parent is selected (a curated seed's test may reference a chips seed)
        build = self.dbt(
            "build", "--indirect-selection", "cautious", "--exclude-resource-type", "unit_test", "--select", *selection
        )
        wall, rss = measured(build, self.env, self.project)
        build_state.save(self.settings, build_state.after_build(last, now, plan))
        publish_with_exports(self.build_db, self.settings.published_db, self.settings.exports_dir)
        return time.perf_counter() - started, rss

    def event_study_step(self) -> tuple[float, float]:
        """The dbt models that compute the event study, every pair (--full-refresh: the incremental ones from scratch):
        (wall incl. dbt start-up, summed model execution time)."""
        wall, _ = measured(self.dbt("run", "--full-refresh", "--select", *EVENT_STUDY_MODELS), self.env, self.project)
        results = json.loads((self.root / "target" / "run_results.json").read_text())["results"]
        self.model_times = {r["unique_id"].split(".")[-1]: round(r["execution_time"], 3) for r in results}
        return wall, sum(r["execution_time"] for r in results)

    def family_rows(self) -> tuple[int, int]:
        """Rows of the published family mart, and those of its group portfolios (the bench writes group seeds)."""
        with duckdb.connect(str(self.settings.published_db), read_only=True) as con:
            return con.execute(
                "select count(*), count(*) filter (where subject_type = 'group' and events > 0) "
                "from marts.fct_event_family_reactions"
            ).fetchone()

    def refresh_model_times(self) -> dict:
        results = json.loads((self.root / "target" / "run_results.json").read_text())["results"]
        return {
            r["unique_id"].split(".")[-1]: round(r["execution_time"], 3)
            for r in results
            if r["unique_id"].startswith("model.") and r["execution_time"] >= 0.05
        }

    def pipeline_results(self) -> pd.DataFrame:
        con = duckdb.connect(str(self.build_db), read_only=True)
        try:
            return con.execute(
                "select event_id, symbol, window_start, window_end, alpha, beta, residual_sd, "
                "abnormal_return as car, t_stat from marts.fct_event_returns"
            ).df()
        finally:
            con.close()


def max_difference(a: pd.DataFrame, b: pd.DataFrame) -> tuple[int, int, float]:
    keys = ["event_id", "symbol", "window_start", "window_end"]
    m = a.merge(b, on=keys, how="outer", indicator=True)
    unmatched = int((m["_merge"] != "both").sum())
    both = m[m["_merge"] == "both"]
    diff = max(float((both[f"{c}_x"] - both[f"{c}_y"]).abs().max()) for c in ("alpha", "beta", "car"))
    return len(both), unmatched, diff


def run_scale(scale: synthetic.Scale, repeat: int, workdir: Path) -> dict:
    if KEEP:
        root = KEEP / scale.name
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
    else:
        root = Path(tempfile.mkdtemp(prefix=f"bench-{scale.name}-", dir=workdir))
    try:
        started = time.perf_counter()
        u = Universe(scale, root)
        row = {
            "scale": scale.name,
            "listings": scale.listings,
            "days": scale.days,
            "events": scale.events,
            "price_rows": u.counts["price_rows"],
            "generate_s": round(time.perf_counter() - started, 2),
            "repeats": repeat,
        }
        refreshes = [u.refresh() for _ in range(repeat)]
        row["refresh_s"] = statistics.median(w for w, _ in refreshes)
        row["refresh_peak_rss_mb"] = max(r for _, r in refreshes)
        row["family_rows"], row["family_group_rows"] = u.family_rows()  # the pooled mart, filled at this scale
        row["refresh_per_model_s"] = u.refresh_model_times()  # where the last full refresh's time went
        steps = [u.event_study_step() for _ in range(repeat)]
        row["event_study_dbt_wall_s"] = statistics.median(w for w, _ in steps)
        row["event_study_models_s"] = statistics.median(m for _, m in steps)
        row["event_study_per_model_s"] = u.model_times  # the last repeat, to see where the time goes
        ours = u.pipeline_results()
        row["fits"] = int(ours[["event_id", "symbol"]].drop_duplicates().shape[0])
        # the reference: the best formulation found, two threads, under the models' 1 GB memory limit
        row["best_reference_s"], best = timed(
            lambda: best_event_study(u.parquet, u.seeds, threads=2, memory_limit=MEMORY_LIMIT), repeat
        )
        row["duckdb_query_s"], duck = timed(lambda: duckdb_event_study(u.parquet, u.seeds), repeat)
        row["duckdb_query_1thread_s"], _ = timed(lambda: duckdb_event_study(u.parquet, u.seeds, threads=1), repeat)
        others = [("best", best), ("duckdb", duck)]
        if "pandas" not in SKIP:
            pandas_repeat = 1 if scale.listings * scale.events > 20_000 else repeat
            row["pandas_loop_s"], loop = timed(lambda: pandas_event_study(u.parquet, u.seeds), pandas_repeat)
            row["pandas_repeats"] = pandas_repeat
            others.append(("pandas", loop))
        for name, other in others:
            matched, unmatched, diff = max_difference(ours, other)
            row[f"agree_{name}_rows"], row[f"agree_{name}_unmatched"], row[f"agree_{name}_max_diff"] = (
                matched,
                unmatched,
                diff,
            )
        row["agree"] = all(
            row[f"agree_{n}_unmatched"] == 0 and row[f"agree_{n}_max_diff"] <= TOLERANCE for n, _ in others
        )
        row["ratio_models_vs_best"] = row["event_study_models_s"] / row["best_reference_s"]
        row["ratio_models_vs_duckdb"] = row["event_study_models_s"] / row["duckdb_query_s"]
        if "pandas_loop_s" in row:
            row["ratio_pandas_vs_models"] = row["pandas_loop_s"] / row["event_study_models_s"]
        # incremental: one more trading day lands; the refresh runs again on it through the incremental path
        u.refresh()  # the database as a full refresh leaves it (event_study_step rebuilt part of it)
        synthetic.generate(scale, u.parquet, u.seeds, extra_days=1)
        row["incremental_refresh_s"], _ = u.refresh(full=False)
        row["incremental_vs_full"] = row["incremental_refresh_s"] / row["refresh_s"]
        return row
    finally:
        if KEEP:
            print(
                f"[bench] kept {scale.name}'s universe in {root} (parquet/sample/: the landed layout; "
                "seeds/: listings and events)",
                flush=True,
            )
        else:
            shutil.rmtree(root, ignore_errors=True)


def startup(repeat: int, home: Path | None) -> dict:
    env = {**os.environ}
    load = (
        "from pipelines.definitions import build_definitions; from pipelines.lib.config import load_settings; "
        "build_definitions(load_settings('sample'))"
    )
    loads = [measured([sys.executable, "-c", load], env, PROJECT_ROOT)[0] for _ in range(repeat)]
    out = {"load_definitions_s": statistics.median(loads)}
    if home is not None:
        env["CHIPWATCH_HOME"] = str(home)
        queries = [
            measured(
                [str(BIN / "chipwatch"), "query", "select count(*) from marts.fct_event_returns"], env, PROJECT_ROOT
            )[0]
            for _ in range(repeat)
        ]
        out["chipwatch_query_s"] = statistics.median(queries)
    return out


COLUMNS = [
    ("scale", "scale"),
    ("price_rows", "price rows"),
    ("fits", "fits"),
    ("refresh_s", "full refresh s"),
    ("refresh_peak_rss_mb", "peak RSS MB"),
    ("incremental_refresh_s", "+1 day s"),
    ("incremental_vs_full", "incr/full"),
    ("event_study_models_s", "event study (dbt models) s"),
    ("event_study_dbt_wall_s", "dbt run wall s"),
    ("best_reference_s", "best formulation s"),
    ("ratio_models_vs_best", "models/best"),
    ("duckdb_query_s", "hand DuckDB s"),
    ("duckdb_query_1thread_s", "hand DuckDB 1 thread s"),
    ("pandas_loop_s", "pandas loop s"),
    ("ratio_models_vs_duckdb", "models/hand"),
    ("ratio_pandas_vs_models", "pandas/models"),
    ("agree", "agree 1e-9"),
]


def markdown(rows: list[dict], extra: dict) -> str:
    fmt = lambda v: f"{v:.3g}" if isinstance(v, float) else str(v)  # noqa: E731
    lines = ["| " + " | ".join(h for _, h in COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(fmt(r.get(k, "")) for k, _ in COLUMNS) + " |" for r in rows]
    lines += ["", *(f"- {k}: {fmt(v)}" for k, v in extra.items())]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scales", default="small,medium,large")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", default=str(PROJECT_ROOT / "bench_results"))
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for name in args.scales.split(","):
        scale = synthetic.SCALES[name]
        print(f"[bench] {name}: {scale.listings} listings x {scale.days} days x {scale.events} events", flush=True)
        rows.append(run_scale(scale, args.repeat, out))
        print(json.dumps(rows[-1]), flush=True)
    published = Path(os.environ.get("CHIPWATCH_HOME") or PROJECT_ROOT / "warehouse")
    extra = startup(args.repeat, published if (published / "chipwatch.duckdb").exists() else None)
    extra["machine"] = f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, duckdb {duckdb.__version__}"
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    report = json.dumps({"rows": rows, **extra}, indent=1, default=str)
    (out / f"bench-{stamp}.json").write_text(report)
    (out / "latest.json").write_text(report)
    table = markdown(rows, extra)
    (out / f"bench-{stamp}.md").write_text(table)
    print(table)
    return 0 if all(r["agree"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
