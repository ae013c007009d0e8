"""What the last successful build was made from, and what a new build must redo (issue 18).

The build database is kept between refreshes. After each successful dbt build the build writes `build/build-state.json`:
a content hash of every landed source (raw_zone.tables: one file, or a folder of files), of every seed CSV, of the
rest of the dbt project (models, macros, tests, YAML) and of what else decides the output (the dbt vars of this home,
the versions of chipwatch, dbt and DuckDB). A refresh compares the current state with it (`plan`):

- nothing recorded, the database missing, or anything but data and seeds changed (a model, a macro, a var, a
  version): a full build from an empty database, as every build was before;
- otherwise only the dbt assets downstream of the sources and seeds whose content changed are rebuilt; the other
  marts stay as the last build left them (same inputs, same SQL: the same rows).

- a changed seed that an incremental model reads (seeds_feeding_incremental_models): a full build too.

File hashes are cached by (size, mtime) so a refresh does not re-read unchanged history. Every build forgets the state
before it starts and writes it only when it succeeds, so the refresh after a failed or killed build is a full one (an
incremental build that stopped half-way may have updated some incremental models and not the ones downstream).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from . import landing, raw_zone
from .config import DBT_PROJECT_DIR, Settings

STATE_FILE = "build-state.json"
# Names the run whose dbt build the build database holds (the build's id); publish refuses a build another run made
# since, and the publish record (pipelines/lib/publish.py) says which build each published file holds.
BUILT_BY = "built-by-run"
FORMAT = 1
VERSIONED_PACKAGES = ("chipwatch", "dbt-core", "dbt-duckdb", "duckdb")
PROJECT_FOLDERS = ("models", "macros", "tests")
PROJECT_FILES = ("dbt_project.yml", "profiles.yml", "packages.yml")
# Every ingestion attempt adds a file to the refresh record: on its own that is no reason to build (a refresh that
# landed nothing new publishes nothing new); with other changes, marts.meta_refreshes is rebuilt with them.
RECORD_SOURCE = "chipwatch.refreshes"


@dataclass
class BuildState:
    sources: dict[str, str]  # dbt source (yahoo.daily_bars) -> content hash of its landed files
    seeds: dict[str, str]  # seed name -> content hash of its CSV
    project: str  # hash of everything else in the dbt project (models, macros, tests, YAML, seed properties)
    context: str  # hash of the dbt vars of this home and the package versions
    file_hashes: dict[str, list] = field(default_factory=dict)  # path -> [size, mtime_ns, sha256]: a cache only


@dataclass(frozen=True)
class BuildPlan:
    full: bool
    reason: str
    changed_sources: tuple[str, ...] = ()
    changed_seeds: tuple[str, ...] = ()

    @property
    def nothing_to_build(self) -> bool:
        return not self.full and not self.changed_sources and not self.changed_seeds


def state_path(settings: Settings) -> Path:
    return settings.build_dir / STATE_FILE


def _sha256(path: Path, cache: dict[str, list], fresh: dict[str, list]) -> str:
    stat = path.stat()
    known = cache.get(str(path))
    if known and known[0] == stat.st_size and known[1] == stat.st_mtime_ns:
        digest = known[2]
    else:
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        digest = h.hexdigest()
    fresh[str(path)] = [stat.st_size, stat.st_mtime_ns, digest]
    return digest


def _combined(named_hashes: list[tuple[str, str]]) -> str:
    h = hashlib.sha256()
    for name, digest in sorted(named_hashes):
        h.update(f"{name}\0{digest}\n".encode())
    return h.hexdigest()


def _package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "none"


def dbt_vars(settings: Settings) -> dict:
    """What one home's build needs from dbt: where the landed Parquet is, the source mode, and the build database
    (dbt_project/profiles.yml reads `build_db`)."""
    return {
        "parquet_dir": str(settings.parquet_dir),
        "source_mode": settings.source,
        "build_db": str(settings.build_db),
    }


def current(
    settings: Settings, dbt_vars: dict, previous: BuildState | None = None, project_dir: Path = DBT_PROJECT_DIR
) -> BuildState:
    """The state a build made now would be made from."""
    cache = previous.file_hashes if previous else {}
    fresh: dict[str, list] = {}
    sources = {}
    for name, (path, _schema) in raw_zone.tables(settings).items():
        files = sorted(path.parent.glob("*.parquet")) if name in raw_zone.FOLDER_TABLES else [path]
        sources[name] = _combined([(f.name, _sha256(f, cache, fresh)) for f in files if f.exists()])
    seed_dir = project_dir / "seeds"
    seeds = {f.stem: _sha256(f, cache, fresh) for f in sorted(seed_dir.rglob("*.csv"))}
    project_files = [project_dir / name for name in PROJECT_FILES]
    project_files += [f for folder in PROJECT_FOLDERS for f in (project_dir / folder).rglob("*") if f.is_file()]
    project_files += [f for f in seed_dir.rglob("*") if f.is_file() and f.suffix != ".csv"]  # seed properties
    project = _combined(
        [(str(f.relative_to(project_dir)), _sha256(f, cache, fresh)) for f in project_files if f.exists()]
    )
    context = hashlib.sha256(
        json.dumps(
            {"vars": dbt_vars, "versions": {p: _package_version(p) for p in VERSIONED_PACKAGES}, "format": FORMAT},
            sort_keys=True,
        ).encode()
    ).hexdigest()
    return BuildState(sources, seeds, project, context, fresh)


def built_by(settings: Settings) -> str | None:
    """The run whose complete dbt build the build database holds; None while a build runs or after one failed."""
    try:
        return (settings.build_dir / BUILT_BY).read_text().strip() or None
    except OSError:
        return None


def load(settings: Settings) -> BuildState | None:
    path = state_path(settings)
    try:
        data = json.loads(path.read_text())
        return BuildState(**data)
    except (OSError, ValueError, TypeError):
        return None  # none yet, or unreadable: the next build is a full one


def save(settings: Settings, state: BuildState) -> None:
    landing.atomic_write_bytes(state_path(settings), json.dumps(state.__dict__, sort_keys=True).encode())


def forget(settings: Settings) -> None:
    """Before a build starts: until it succeeds, nothing records what the database holds."""
    state_path(settings).unlink(missing_ok=True)


def seeds_feeding_incremental_models(manifest: dict) -> frozenset[str]:
    """The seeds upstream of an incremental model (dbt_project/macros/incremental.sql). Those models recompute only
    what new or revised prices touch; a changed seed among these (an event, a listing, an event window) can change or
    remove any of their rows, so it makes the refresh a full build."""
    nodes = manifest["nodes"]
    todo = [uid for uid, n in nodes.items() if n.get("config", {}).get("materialized") == "incremental"]
    seen, seeds = set(todo), set()
    while todo:
        node = nodes.get(todo.pop())
        for parent in (node or {}).get("depends_on", {}).get("nodes", []):
            if parent in seen:
                continue
            seen.add(parent)
            if nodes.get(parent, {}).get("resource_type") == "seed":
                seeds.add(nodes[parent]["name"])
            todo.append(parent)
    return frozenset(seeds)


def plan(
    settings: Settings,
    now: BuildState,
    last: BuildState | None,
    full: bool = False,
    full_rebuild_seeds: frozenset[str] = frozenset(),
) -> BuildPlan:
    """What a build must redo to bring the build database from `last` to `now`. A change to a seed in
    `full_rebuild_seeds` (seeds_feeding_incremental_models) makes it a full build."""
    if full:
        return BuildPlan(True, "a full rebuild was asked for")
    if last is None:
        return BuildPlan(True, "no earlier successful build is recorded")
    if not settings.build_db.exists():
        return BuildPlan(True, "the build database is missing")
    if last.context != now.context:
        return BuildPlan(True, "the dbt vars or the chipwatch, dbt or DuckDB version changed")
    if last.project != now.project:
        return BuildPlan(True, "the dbt project changed (a model, macro, test or YAML file)")
    if set(last.seeds) != set(now.seeds) or set(last.sources) != set(now.sources):
        return BuildPlan(True, "a seed or source was added or removed")
    sources = tuple(sorted(n for n, h in now.sources.items() if last.sources[n] != h))
    seeds = tuple(sorted(n for n, h in now.seeds.items() if last.seeds[n] != h))
    if not seeds and set(sources) <= {RECORD_SOURCE}:
        if settings.published_db.exists():
            return BuildPlan(False, "no landed data and no seed changed since the last build")
        return BuildPlan(
            False, "nothing changed, but the published warehouse is missing: republishing", (RECORD_SOURCE,)
        )
    if set(seeds) & full_rebuild_seeds:
        return BuildPlan(
            True, "a seed the incremental models read changed: " + ", ".join(sorted(set(seeds) & full_rebuild_seeds))
        )
    what = ", ".join([*sources, *(f"seed {s}" for s in seeds)]) or "nothing"
    return BuildPlan(False, f"changed since the last build: {what}", sources, seeds)


def after_build(last: BuildState | None, now: BuildState, built: BuildPlan) -> BuildState:
    """The state to record once `built` succeeded: what it rebuilt is now current; what it left alone keeps its
    recorded hash (a source that changed meanwhile is picked up by the next build)."""
    if built.full or last is None:
        return now
    sources = {n: (now.sources[n] if n in built.changed_sources else h) for n, h in last.sources.items()}
    seeds = {n: (now.seeds[n] if n in built.changed_seeds else h) for n, h in last.seeds.items()}
    return BuildState(sources, seeds, now.project, now.context, now.file_hashes)
