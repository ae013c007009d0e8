"""Every dbt seed, model and test as Dagster assets and checks (dbt_project/). Nothing runs at import: the manifest is
parsed when the definitions are built (pipelines/definitions.py), and only when a dbt file changed since."""

import json
import logging
import shutil
import subprocess
import sys
from importlib.metadata import version as installed_version
from pathlib import Path

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets
from dagster_dbt.asset_utils import get_manifest_and_translator_from_dbt_assets
from packaging.version import Version

from ..lib import build_state, landing, raw_zone
from ..lib.config import DBT_PROJECT_DIR, Settings
from ..lib.locks import build_lock

log = logging.getLogger("chipwatch.dbt")
BUILT_BY = build_state.BUILT_BY


def dbt_executable() -> str:
    here = Path(sys.executable).parent / "dbt"
    return str(here) if here.exists() else (shutil.which("dbt") or "dbt")


def manifest_is_stale(project: DbtProject) -> bool:
    """True when the manifest is missing or older than any dbt source file (models, macros, seeds, YAML)."""
    if not project.manifest_path.exists():
        return True
    built = project.manifest_path.stat().st_mtime
    folders = [DBT_PROJECT_DIR / name for name in ("models", "macros", "seeds", "tests")]
    files = [DBT_PROJECT_DIR / "dbt_project.yml"]
    files += [f for d in folders if d.exists() for f in d.rglob("*") if f.is_file()]
    return any(f.stat().st_mtime > built for f in files)


def prepared_project() -> DbtProject:
    """The dbt project with a current manifest (`make` parses ahead; this keeps `chipwatch` and a bare checkout
    right)."""
    project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
    if manifest_is_stale(project):
        subprocess.run(
            [
                dbt_executable(),
                "parse",
                "--quiet",
                "--project-dir",
                str(DBT_PROJECT_DIR),
                "--profiles-dir",
                str(DBT_PROJECT_DIR),
            ],
            check=True,
            cwd=DBT_PROJECT_DIR,
        )
    return project


class ChipwatchTranslator(DagsterDbtTranslator):
    """Groups follow the dbt folders: staging, intermediate, marts, seeds."""

    def get_asset_key(self, dbt_resource_props):
        # a versioned model is keyed by the relation it writes (marts/fct_event_returns_v2), like every other model
        if dbt_resource_props.get("version"):
            return dg.AssetKey([dbt_resource_props["config"]["schema"], dbt_resource_props["alias"]])
        return super().get_asset_key(dbt_resource_props)

    def get_asset_spec(self, manifest, unique_id, project):
        """The marts carry the warehouse's freshness policy, so the UI shows at a glance whether they are current."""
        spec = super().get_asset_spec(manifest, unique_id, project)
        if spec.group_name == "marts":
            from .resources import WAREHOUSE_FRESHNESS

            spec = spec.replace_attributes(freshness_policy=WAREHOUSE_FRESHNESS)
        return spec

    def get_asset_check_spec(self, asset_spec, manifest, unique_id, project):
        """dbt's generic tests carry no description, so the UI showed 384 of 389 checks without one: say what each
        checks, from the test's name, column and arguments."""
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        if spec is None or spec.description:
            return spec
        return spec._replace(description=check_description(manifest["nodes"].get(unique_id, {})))

    def get_group_name(self, dbt_resource_props):
        if dbt_resource_props["resource_type"] == "seed":
            return "seeds"
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 else "dbt"


def check_description(test: dict) -> str:
    """One line on what a dbt test asserts (dbt_utils and dbt's generic tests by name, else the test's own)."""
    meta = test.get("test_metadata") or {}
    name, kwargs = meta.get("name"), dict(meta.get("kwargs") or {})
    kwargs.pop("model", None)
    args = kwargs.pop("arguments", None) or {}
    kwargs.update(args if isinstance(args, dict) else {})
    column = kwargs.pop("column_name", None) or test.get("column_name")
    known = {
        "not_null": f"no row has a null {column}",
        "unique": f"no two rows share a {column}",
        "accepted_values": f"{column} only takes the values {kwargs.get('values')}",
        "relationships": f"every {column} is a {kwargs.get('field')} of {kwargs.get('to')}",
    }
    if name in known:
        return f"dbt test {name}: {known[name]}."
    if name:
        where = f" on {column}" if column else ""
        detail = ", ".join(f"{k}={v}" for k, v in sorted(kwargs.items()) if k not in ("config",))
        return (
            f"dbt test {meta.get('namespace') + '.' if meta.get('namespace') else ''}{name}{where}"
            + (f" ({detail})" if detail else "")
            + ": fails when any row breaks it."
        )
    return f"dbt singular test {test.get('name', '')}: fails when its query returns a row ({test.get('original_file_path', '')})."


class BuildConfig(dg.Config):
    """What a build redoes. The default (a launch of the whole job from the UI) rebuilds everything from an empty
    database, and a selection with the default config builds exactly that selection on the database as it is; a
    refresh passes its plan (pipelines/lib/build_state.py) and selects only the assets downstream of what changed."""

    full_rebuild: bool = True
    changed_sources: list[str] = []  # dbt sources (yahoo.daily_bars) whose landed files changed
    changed_seeds: list[str] = []


# dbt unit tests check the models' SQL on fixed inputs: `make test` runs them (tests/test_build_state.py), a
# refresh does not (dbt's advice: their inputs are static, so they cannot fail on new data).
BUILD_ARGS = ["build", "--exclude-resource-type", "unit_test"]


def build_assets(project: DbtProject) -> dg.AssetsDefinition:
    @dbt_assets(
        manifest=project.manifest_path, dagster_dbt_translator=ChipwatchTranslator(), name="chipwatch_dbt_assets"
    )
    def chipwatch_dbt_assets(
        context: dg.AssetExecutionContext,
        dbt: DbtCliResource,
        config: BuildConfig,
        settings: dg.ResourceParam[Settings],
    ):
        # (context.assets_def is the subset in a subset run: compare with the whole definition's keys)
        if config.full_rebuild and set(context.selected_asset_keys) != set(chipwatch_dbt_assets.keys):
            # a selection made in the UI, a schedule or the CLI, not a refresh's plan: build exactly that
            yield from build_selection(context, dbt, settings)
            return
        with build_lock(settings.home):  # one build of this home at a time, across runs and processes
            settings.build_dir.mkdir(parents=True, exist_ok=True)
            built_by = settings.build_dir / BUILT_BY
            built_by.unlink(missing_ok=True)  # until this build succeeds, no run may publish the file
            stand_ins = raw_zone.ensure_sources(settings)  # a source that has never landed is built as an empty table
            if stand_ins:
                context.log.warning(f"never landed, built as empty tables: {', '.join(stand_ins)}")
            variables = build_state.dbt_vars(settings)
            last = build_state.load(settings)
            now = build_state.current(settings, variables, last)
            plan = build_state.BuildPlan(
                config.full_rebuild, "asked by the run", tuple(config.changed_sources), tuple(config.changed_seeds)
            )
            needed = build_state.plan(
                settings, now, last, full_rebuild_seeds=seeds_feeding_incremental_models(context.assets_def)
            )
            if needed.full and not plan.full:  # the project changed (or the database went) since the refresh planned
                raise dg.Failure(
                    f"an incremental build was asked, but a full one is needed: {needed.reason} "
                    "(chipwatch refresh plans it; from the UI, launch build_and_publish with the default "
                    "config)"
                )
            # until this build succeeds nothing records what the database holds: after a failure the next is full
            build_state.forget(settings)
            if plan.full:
                # from scratch: no object survives from an older project, and no WAL from a build that was killed
                settings.build_db.unlink(missing_ok=True)
                Path(str(settings.build_db) + ".wal").unlink(missing_ok=True)
            log.info(
                "dbt build (%s): seeds, models and tests into %s",
                "full" if plan.full else "changed: " + ", ".join([*plan.changed_sources, *plan.changed_seeds]),
                settings.build_db,
            )
            # one target folder per home, overwritten each run (dagster-dbt's default leaves a new one per run)
            target = settings.build_dir / "dbt-target"
            args = [*BUILD_ARGS, "--vars", json.dumps(variables)]
            yield from dbt.cli(args, context=context, target_path=target).stream()
            # reached only when dbt succeeded (stream raises otherwise): name the build first, then record its
            # state (a kill between the two leaves no state: the next build is a full one)
            landing.atomic_write_bytes(built_by, context.run_id.encode())
            build_state.save(settings, build_state.after_build(last, now, plan))

    return chipwatch_dbt_assets


def build_selection(context: dg.AssetExecutionContext, dbt: DbtCliResource, settings: Settings):
    """Build only the selected dbt assets (dagster-dbt passes the selection to dbt) into the build database as it is:
    nothing else is deleted or rebuilt, and the recorded build state is left alone, so the next refresh still sees
    every change since the last planned build. dbt replaces each model whole, so the database stays a complete build;
    when it held one, it now holds this run's (the publish record then lags, and the next refresh or the publish
    asset republishes it)."""
    with build_lock(settings.home):
        settings.build_dir.mkdir(parents=True, exist_ok=True)
        complete = build_state.built_by(settings) is not None and settings.build_db.exists()
        raw_zone.ensure_sources(settings)
        log.info(
            "dbt build of a selection (%d assets) into %s; nothing else is touched",
            len(context.selected_asset_keys),
            settings.build_db,
        )
        args = [*BUILD_ARGS, "--vars", json.dumps(build_state.dbt_vars(settings))]
        yield from dbt.cli(args, context=context, target_path=settings.build_dir / "dbt-target").stream()
        if complete:
            landing.atomic_write_bytes(settings.build_dir / BUILT_BY, context.run_id.encode())


def keys_downstream(assets_def: dg.AssetsDefinition, sources: list[str], seeds: list[str]) -> set[dg.AssetKey]:
    """The dbt assets to rebuild when these dbt sources (yahoo.daily_bars) and seeds changed: the seeds themselves and
    every dbt asset downstream of them (on the manifest the definitions already loaded)."""
    manifest, translator, _ = get_manifest_and_translator_from_dbt_assets([assets_def])
    roots = {
        translator.get_asset_key(s)
        for s in manifest["sources"].values()
        if f"{s['source_name']}.{s['name']}" in sources
    }
    seed_keys = {
        translator.get_asset_key(n)
        for n in manifest["nodes"].values()
        if n["resource_type"] == "seed" and n["name"] in seeds
    }
    children: dict[dg.AssetKey, set[dg.AssetKey]] = {}
    for key, parents in assets_def.asset_deps.items():
        for parent in parents:
            children.setdefault(parent, set()).add(key)
    found, todo = set(seed_keys), [*roots, *seed_keys]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def seeds_feeding_incremental_models(assets_def: dg.AssetsDefinition) -> frozenset[str]:
    """The seeds whose change makes a refresh a full build (build_state.seeds_feeding_incremental_models), on the
    manifest the dbt assets hold."""
    manifest, _, _ = get_manifest_and_translator_from_dbt_assets([assets_def])
    return build_state.seeds_feeding_incremental_models(manifest)


class OfflineDbtCliResource(DbtCliResource):
    """dagster-dbt's resource, without the `dbt --version` it runs before every dbt command to learn which dbt it
    drives: that subprocess costs 1.5-5 s here and asks PyPI for the latest dbt-core and dbt-duckdb (two requests, 1 s
    timeouts): a network call on every build of an offline warehouse. The dbt it drives is this venv's dbt-core, whose
    version the package metadata gives. Nor does it load dbt's project, profile and adapter in this process before
    every command (~1 s): dagster-dbt uses that adapter only for `fetch_row_counts()` and `fetch_column_metadata()`,
    which the build does not call. (Overrides a private property and method of dagster-dbt 0.29; the pinned lock
    keeps them stable and tests/test_definitions.py checks them.)"""

    @property
    def _cli_version(self) -> Version:
        return Version(installed_version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):  # noqa: ARG002 - the signature dagster-dbt calls
        return None


def dbt_resource(project: DbtProject) -> DbtCliResource:
    return OfflineDbtCliResource(project_dir=project, dbt_executable=dbt_executable())
