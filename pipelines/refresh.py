"""One refresh path, shared by the CLI, the schedules and the Dagster UI.

A refresh is one `ingest_<source>` run per source (a failing source fails only its own run), then, if anything
landed, one `build_and_publish` run. Every run of a refresh carries the same `chipwatch/refresh_id` tag, and no data
travels in tags: each source's attempt is written to the refresh record (pipelines/lib/refreshes.py), which the build
reads as a dbt source and the CLI reads for its summary.

- The CLI runs the requests below in process, under the refresh lock, and gets a `RefreshOutcome`.
- A schedule submits the same ingestion request; the `build_after_ingest` sensor submits the build for its refresh
  when an ingestion run succeeds.
- From the UI: materialize partitions of `yahoo_daily_bars` or `comtrade_records` (a backfill asks for them again),
  then `build_and_publish`.

Partitioned sources (months of prices, years of trade) run as one run over a partition range: a refresh covers the
partitions its incremental landing asks for (prices: the months from a week before the oldest of the symbols' last
stored days, every month when a symbol has no history yet; trade: every year) and lands only what is new or may have
been revised; a backfill covers the partitions of its dates and asks for all of them again.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import time
from collections.abc import Callable
from contextlib import redirect_stdout
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

import dagster as dg

from .defs.resources import REFRESH_ID_TAG
from .lib import build_state, locks, publish, refreshes, yahoo_landing
from .lib.config import PROJECT_ROOT, Settings
from .lib.errors import ConfigError
from .lib.landing import clean_stale_temp_files, process_alive
from .lib.progress import DbtProgress
from .lib.status import SOURCES

log = logging.getLogger("chipwatch")

# Dagster's tags for a run over a partition range (a single-run backfill); documented with BackfillPolicy.single_run
PARTITION_RANGE_START_TAG = "dagster/asset_partition_range_start"
PARTITION_RANGE_END_TAG = "dagster/asset_partition_range_end"
PID_TAG = "chipwatch/pid"  # the process that ran an in-process run (a killed refresh's runs are marked failed)
BUILD_JOB = "build_and_publish"
DBT_OP = "chipwatch_dbt_assets"
PUBLISHED = dg.AssetKey("published_warehouse")


def ingest_job_name(source: str) -> str:
    return f"ingest_{source}"


# -- requests: what one run of a refresh is --------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    job_name: str
    tags: dict[str, str]
    run_config: dict = field(default_factory=dict)
    asset_selection: tuple[dg.AssetKey, ...] | None = None  # None: every asset of the job

    def run_request(self, run_key: str | None = None) -> dg.RunRequest:
        return dg.RunRequest(
            run_key=run_key,
            job_name=self.job_name,
            tags=self.tags,
            run_config=self.run_config,
            asset_selection=list(self.asset_selection) if self.asset_selection else None,
        )


def partitioned_asset(assets: list[dg.AssetsDefinition]) -> dg.AssetsDefinition | None:
    found = [a for a in assets if a.partitions_def is not None]
    return found[0] if found else None


def partitions_covering(partitions_def: dg.TimeWindowPartitionsDefinition, start: date, end: date) -> list[str]:
    """The partition keys whose time window overlaps [start, end] (dates inclusive)."""
    keys = []
    for key in partitions_def.get_partition_keys():
        window = partitions_def.time_window_for_partition_key(key)
        if window.start.date() <= end and window.end.date() > start:
            keys.append(key)
    return keys


def incremental_start(source: str, settings: Settings) -> date | None:
    """Where an incremental refresh of a partitioned source starts asking: its run covers the partitions from that
    day on. None for every partition (Comtrade's few years: its revision window is per series)."""
    if source == "yahoo":
        return yahoo_landing.refresh_start(settings, yahoo_landing.listing_symbols())
    return None


def ingest_request(
    source: str,
    assets: list[dg.AssetsDefinition],
    refresh_id: str,
    backfill: tuple[date, date] | None = None,
    since: date | None = None,
) -> Request:
    """Land one source. A partitioned source runs over the partitions from `since` on, or every partition (a
    refresh: only what is new or revised lands) or, for a backfill, over the partitions that cover its dates (asked
    for again)."""
    tags = {REFRESH_ID_TAG: refresh_id}
    asset = partitioned_asset(assets)
    if asset is None:
        return Request(ingest_job_name(source), tags)
    if backfill:
        keys = partitions_covering(asset.partitions_def, *backfill)
    elif since:
        keys = partitions_covering(asset.partitions_def, since, date.max) or asset.partitions_def.get_partition_keys()
    else:
        keys = asset.partitions_def.get_partition_keys()
    if not keys:
        first = asset.partitions_def.get_first_partition_key()
        raise ConfigError(
            f"{source}: no partition of {asset.key.to_user_string()} covers {backfill[0]}..{backfill[1]}"
            f" (its partitions start at {first})"
            if backfill
            else f"{source}: no partitions yet"
        )
    tags.update({PARTITION_RANGE_START_TAG: keys[0], PARTITION_RANGE_END_TAG: keys[-1]})
    config = {"ops": {asset.op.name: {"config": {"refetch": backfill is not None}}}}
    return Request(ingest_job_name(source), tags, config)


def build_request(
    refresh_id: str, plan: build_state.BuildPlan | None = None, dbt_keys: set[dg.AssetKey] | None = None
) -> Request:
    """The build of a refresh: everything from an empty database (no plan, or a full one), else only the dbt assets
    downstream of what changed (`dbt_keys`, from dbt_defs.keys_downstream) and the publish."""
    tags = {REFRESH_ID_TAG: refresh_id}
    if plan is None or plan.full:
        return Request(BUILD_JOB, tags)
    config = {
        "full_rebuild": False,
        "changed_sources": list(plan.changed_sources),
        "changed_seeds": list(plan.changed_seeds),
    }
    return Request(
        BUILD_JOB,
        tags,
        {"ops": {DBT_OP: {"config": config}}},
        tuple(sorted({*(dbt_keys or ()), PUBLISHED}, key=lambda k: k.to_user_string())),
    )


def republish_request(refresh_id: str) -> Request:
    """Publish only: bring whatever lags the last complete build (the published file, the exports, the report) up to
    it, as published.json records (pipelines/lib/publish.py). What a refresh runs when a publish was cut short."""
    return Request(BUILD_JOB, {REFRESH_ID_TAG: refresh_id}, asset_selection=(PUBLISHED,))


publish_lag = publish.lag_of


def dbt_assets_def(defs: dg.Definitions) -> dg.AssetsDefinition:
    job = defs.resolve_job_def(BUILD_JOB)
    found = (defs.resolve_assets_def(key) for key in job.asset_layer.executable_asset_keys)
    return next(a for a in found if a.op.name == DBT_OP)


def planned_build(
    settings: Settings, refresh_id: str, full: bool, dbt_assets: Callable[[], dg.AssetsDefinition]
) -> tuple[build_state.BuildPlan, Request | None]:
    """Compare what has landed (and the dbt project) with what the last successful build was made from. The dbt
    assets (dagster-dbt and the manifest: ~2 s to load) are asked for only when something changed."""
    last = build_state.load(settings)
    now = build_state.current(settings, build_state.dbt_vars(settings), last)
    plan = build_state.plan(settings, now, last, full)
    if plan.nothing_to_build:  # nothing to rebuild; but a publish cut short is finished now
        return plan, (republish_request(refresh_id) if publish_lag(settings) else None)
    if plan.full:
        return plan, build_request(refresh_id, plan)
    from .defs import dbt as dbt_defs

    assets = dbt_assets()
    plan = build_state.plan(settings, now, last, full, dbt_defs.seeds_feeding_incremental_models(assets))
    if plan.full:  # a seed an incremental model reads changed
        return plan, build_request(refresh_id, plan)
    keys = dbt_defs.keys_downstream(assets, list(plan.changed_sources), list(plan.changed_seeds))
    return plan, build_request(refresh_id, plan, keys)


# -- schedules and the sensor that builds after them --------------------------------------------------------------


def source_schedule(
    source: str, job, assets: list[dg.AssetsDefinition], cron: str, tz: str, settings: Settings
) -> dg.ScheduleDefinition:
    @dg.schedule(
        name=f"{source}_schedule",
        job=job,
        cron_schedule=cron,
        execution_timezone=tz,
        default_status=dg.DefaultScheduleStatus.RUNNING,
        description=f"Refresh {source}: land it (the build follows through build_after_ingest).",
    )
    def _schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
        return ingest_request(
            source, assets, refreshes.new_refresh_id(), since=incremental_start(source, settings)
        ).run_request()

    return _schedule


def lands_data(run: dg.DagsterRun, landing_keys: set[dg.AssetKey]) -> bool:
    """A run that landed source data: an `ingest_<source>` job, or any run that selected a landing asset (a
    backfill launched from an asset's Partitions page, or "Materialize" on a source asset, runs Dagster's own asset
    job)."""
    if run.job_name.startswith("ingest_"):
        return True
    return bool(run.asset_selection and set(run.asset_selection) & landing_keys)


def build_after_ingest(
    landing_keys: set[dg.AssetKey], build_job, dbt_assets: dg.AssetsDefinition, settings: Settings
) -> dg.RunStatusSensorDefinition:
    @dg.run_status_sensor(
        name="build_after_ingest",
        run_status=dg.DagsterRunStatus.SUCCESS,
        request_job=build_job,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Rebuild what changed and publish after any run that landed source data (a schedule's, a "
        "backfill's, a materialization from the UI), as part of the same refresh (nothing when no data or seed "
        "changed; a publish cut short is finished).",
    )
    def _sensor(context: dg.RunStatusSensorContext):
        if not lands_data(context.dagster_run, landing_keys):
            return dg.SkipReason(f"run {context.dagster_run.run_id} landed no source data")
        refresh_id = context.dagster_run.tags.get(REFRESH_ID_TAG) or context.dagster_run.run_id
        plan, request = planned_build(settings, refresh_id, False, lambda: dbt_assets)
        if request is None:
            return dg.SkipReason(f"refresh {refresh_id}: {plan.reason}")
        return request.run_request(run_key=refresh_id)

    return _sensor


# -- the CLI's in-process refresh ---------------------------------------------------------------------------------


@dataclass
class RefreshOutcome:
    refresh_id: str
    source_mode: str
    attempts: list[dict] = field(default_factory=list)  # this refresh's rows of the refresh record
    step_errors: dict[str, str] = field(default_factory=dict)  # "<source or build>:<step>" -> message
    warnings: dict[str, str] = field(default_factory=dict)
    build_run_id: str | None = None
    published_path: str | None = None  # set when this refresh replaced the published database file
    mart_rows: dict[str, int] = field(default_factory=dict)
    not_built_reason: str | None = None
    build_plan: str | None = None  # full or incremental, and why
    up_to_date: bool = False  # nothing changed since the last build, and every publish step holds that build
    # what the publish record says, read after the refresh (not assumed from the run's success)
    published_build: str | None = None  # the build the published database holds
    dbt_log: str | None = None  # dbt's own log of this refresh's build (a file under the home)
    publish_steps_done: list[str] = field(default_factory=list)  # database, exports, report: redone by this refresh
    publish_lag: list[str] = field(default_factory=list)  # steps that still lag the build (their files are older)
    duration_s: float = 0.0

    @property
    def published(self) -> bool:
        return self.published_path is not None

    @property
    def failed_items(self) -> dict[str, str]:
        """Every item that failed to land (source:item -> message), and every step that failed outright."""
        failed = {}
        for row in self.attempts:
            names = (row["failed_items"] or "").split(",") if row["failed_items"] else []
            messages = (row["failure_messages"] or "").split("\n") if row["failure_messages"] else []
            failed.update(zip(names, messages + [""] * (len(names) - len(messages))))
        failed.update(self.step_errors)
        return failed

    @property
    def failed_sources(self) -> dict[str, str]:
        """Datasets (source.dataset) that landed nothing this time (their marts keep the last good data), with the
        reason."""
        return {
            f"{row['source']}.{row['dataset']}": row["error"] or "failed" for row in self.attempts if not row["landed"]
        }


def dagster_instance() -> dg.DagsterInstance:
    """A persistent instance under $DAGSTER_HOME (default .dagster_home/, holding a copy of dagster.yaml)."""
    home = Path(os.environ.get("DAGSTER_HOME") or PROJECT_ROOT / ".dagster_home").resolve()
    home.mkdir(parents=True, exist_ok=True)
    source, target = PROJECT_ROOT / "dagster.yaml", home / "dagster.yaml"
    if source.exists() and (not target.exists() or target.read_bytes() != source.read_bytes()):
        shutil.copyfile(source, target)
    return dg.DagsterInstance.from_config(str(home))


def mark_killed_runs_failed(instance: dg.DagsterInstance) -> int:
    """A refresh killed mid-run leaves its in-process runs 'started' for ever. Runs whose process (PID_TAG) is gone
    are reported failed, so the UI and run history tell the truth. Called under the refresh lock."""
    marked = 0
    live = [dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.NOT_STARTED]
    for record in instance.get_run_records(dg.RunsFilter(statuses=live)):
        run = record.dagster_run
        pid = run.tags.get(PID_TAG)
        if pid is not None and (int(pid) == os.getpid() or not process_alive(int(pid))):  # ours: from a dead run
            instance.report_run_failed(run, f"its process ({pid}) is gone: the refresh was killed")
            marked += 1
    if marked:
        log.warning("marked %d run(s) of a killed refresh as failed", marked)
    return marked


def run(
    definitions: Callable[..., dg.Definitions],
    settings: Settings,
    sources: list[str] | None = None,
    backfill: tuple[date, date] | None = None,
    full_rebuild: bool = False,
) -> RefreshOutcome:
    """Land the sources, then build what changed and publish if anything landed. Raises locks.Locked when another
    refresh of this home is running. Nothing is published (and the previous warehouse stays) when nothing landed or
    the build failed. The build redoes only what depends on changed data or seeds, unless `full_rebuild` or the
    dbt project changed (pipelines/lib/build_state.py). `definitions(with_build=...)` gives the Dagster definitions
    (pipelines/definitions.py): the ingestion first, everything only when a build follows."""
    started = time.monotonic()
    with locks.refresh_lock(settings.home):
        clean_stale_temp_files(settings.home)  # a killed run's half-written files never count as complete
        publish.clean_stale_publish_files(settings.home)  # and a killed publish's copy of the database
        instance = dagster_instance()
        mark_killed_runs_failed(instance)
        outcome = RefreshOutcome(refreshes.new_refresh_id(), settings.source)
        defs = definitions(with_build=False)
        requests = []  # every request first: a bad backfill range fails before anything lands
        for source in sources or list(SOURCES):
            job = defs.resolve_job_def(ingest_job_name(source))
            assets = [defs.resolve_assets_def(k) for k in job.asset_layer.executable_asset_keys]
            since = None if backfill else incremental_start(source, settings)
            requests.append((source, job, ingest_request(source, assets, outcome.refresh_id, backfill, since)))
        for source, job, request in requests:
            result = _execute(job, request, instance)
            outcome.warnings.update(_metadata_dicts(result, "warnings"))
            # a failed step counts unless it is a dataset asset whose failed attempt the record already lists
            recorded = {
                f"{r['source']}_{r['dataset']}" for r in refreshes.read(settings, outcome.refresh_id) if not r["landed"]
            }
            outcome.step_errors.update(
                {f"{source}:{step}": text for step, text in _step_errors(result) if step not in recorded}
            )
        outcome.attempts = refreshes.read(settings, outcome.refresh_id)
        everything = cache(lambda: definitions(with_build=True))
        before = publish.read_record(settings.publish_record)
        if not any(row["landed"] for row in outcome.attempts):  # nothing new: leave the published warehouse as it is
            outcome.not_built_reason = "no source landed anything; not rebuilding"
            request = republish_request(outcome.refresh_id) if publish_lag(settings) else None
        else:
            plan, request = planned_build(
                settings, outcome.refresh_id, full_rebuild, lambda: dbt_assets_def(everything())
            )
            kind = "full build" if plan.full else "nothing to rebuild" if plan.nothing_to_build else "incremental build"
            outcome.build_plan = f"{kind}: {plan.reason}"
            outcome.up_to_date = request is None
        if request is not None:
            if request.asset_selection == (PUBLISHED,):
                outcome.build_plan = (
                    f"{outcome.build_plan or outcome.not_built_reason}; finishing the publish that "
                    f"was cut short ({', '.join(publish_lag(settings))} lag the last build)"
                )
            outcome.dbt_log = str(settings.build_dir / "dbt.log")
            result = _execute(everything().resolve_job_def(BUILD_JOB), request, instance, Path(outcome.dbt_log))
            outcome.build_run_id = result.run_id
            outcome.step_errors.update({f"build:{step}": text for step, text in _step_errors(result)})
            if not result.success:
                outcome.not_built_reason = "the build or publish failed"
        record_outcome(outcome, settings, before)
    outcome.duration_s = round(time.monotonic() - started, 1)
    return outcome


def record_outcome(outcome: RefreshOutcome, settings: Settings, before: dict) -> None:
    """What was published, from the publish record (before and after the refresh), not from the run's success."""
    after = publish.read_record(settings.publish_record)
    outcome.publish_steps_done = [step for step in publish.STEPS if (after.get(step) or {}) != (before.get(step) or {})]
    outcome.publish_lag = publish_lag(settings)
    database = after.get("database") or {}
    outcome.published_build = database.get("build")
    if "database" in outcome.publish_steps_done:
        outcome.published_path = database.get("path")
        outcome.mart_rows = {f"marts.{k}": v for k, v in (database.get("marts") or {}).items()}
    if outcome.publish_lag:
        outcome.up_to_date = False


def _execute(
    job, request: Request, instance: dg.DagsterInstance, dbt_log: Path | None = None
) -> dg.ExecuteInProcessResult:
    """Run one request in process. stdout carries only the CLI's summary: what a run prints goes to stderr, or, for a
    build (`dbt_log`), dbt's log goes to that file and stderr gets one progress line (pipelines/lib/progress.py)."""
    run_config = {**request.run_config, "loggers": {"console": {"config": {"log_level": "WARNING"}}}}
    tags = {**request.tags, PID_TAG: str(os.getpid())}
    sink = DbtProgress(dbt_log, sys.stderr) if dbt_log else sys.stderr
    try:
        with redirect_stdout(sink):
            return _execute_in_process(job, request, instance, run_config, tags)
    finally:
        if dbt_log:
            sink.close()


def _execute_in_process(job, request, instance, run_config, tags) -> dg.ExecuteInProcessResult:
    return job.execute_in_process(
        run_config=run_config,
        instance=instance,
        raise_on_error=False,
        tags=tags,
        asset_selection=list(request.asset_selection) if request.asset_selection else None,
    )


def _materialized(result) -> dict[str, dict]:
    found = {}
    for event in result.get_asset_materialization_events():
        mat = event.event_specific_data.materialization
        found[mat.asset_key.to_user_string()] = {k: v.value for k, v in mat.metadata.items()}
    return found


def _metadata_dicts(result, key: str) -> dict:
    merged = {}
    for metadata in _materialized(result).values():
        merged.update(metadata.get(key) or {})
    return merged


def _step_errors(result) -> list[tuple[str, str]]:
    return [(e.step_key, _failure_text(e)) for e in result.all_events if e.event_type_value == "STEP_FAILURE"]


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
