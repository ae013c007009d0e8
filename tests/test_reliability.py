"""Reliability: the fault matrix (every live source x every fault the replay server injects), crashes (SIGKILL while
fetching, while dbt builds, while publishing) and a reader holding the published file through a refresh.
Each part prints what it tried and how much held."""

import hashlib
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from pipelines.lib import comtrade, comtrade_landing, epoch, epoch_landing, french, french_landing, yahoo_landing
from pipelines.lib.config import load_settings
from pipelines.lib.errors import ChipwatchError
from pipelines.lib.http import make_session
from pipelines.lib.yahoo import YahooClient

from .conftest import ROOT, chipwatch_env, run_chipwatch

TIMEOUT = 0.5  # the clients' time-out in the matrix; "slow" answers take longer


@dataclass(frozen=True)
class Case:
    source: str
    fault: dict
    expect: str  # "landed": retried and landed; "error": a clear error naming the source and item


FAULTS = {
    "503 twice": ({"fail_first": "2:503"}, "landed"),
    "429 twice": ({"fail_first": "2:429"}, "landed"),
    "permanent 500": ({"fail": ["{p}:500"]}, "error"),
    "slower than time-out": ({"slow": ["{p}:2"]}, "error"),
    "truncated body": ({"garble": ["{p}:truncated"]}, "error"),
    "HTML with 200": ({"garble": ["{p}:html"]}, "error"),
    "empty body": ({"garble": ["{p}:empty"]}, "error"),
    "404": ({"fail": ["{p}:404"]}, "error"),
}
YAHOO_ONLY = {
    "null bars": ({"garble": ["{p}:nulls"]}, "error"),
    "negative price": ({"garble": ["{p}:negative"]}, "error"),
    "duplicated timestamp": ({"garble": ["{p}:duplicate"]}, "error"),
    "another symbol's chart": ({"garble": ["{p}:othersymbol"]}, "error"),
}
COMTRADE_ONLY = {
    "no records for periods held": ({"garble": ["{p}:nodata"]}, "error"),
}
PATTERN = {"yahoo": "chart/NVDA", "epoch": "ml_hardware", "comtrade": "preview", "french": "Factors_daily"}
ITEM = {
    "yahoo": "yahoo NVDA",
    "epoch": "epoch ml_hardware.csv",
    "comtrade": "comtrade china_imports",
    "french": "french F-F_Research_Data_Factors_daily_CSV.zip",
}
ONLY = {"yahoo": YAHOO_ONLY, "comtrade": COMTRADE_ONLY}
CASES = [(src, name) for src in PATTERN for name in {**FAULTS, **ONLY.get(src, {})}]
TRADE_QUERY = [comtrade.Query("china_imports", "A", "M", (156,), (842,), ("8542",), ("2019", "2020", "2021"))]


def land(source: str, settings, url: str):
    session = make_session(retries=3, backoff=0.01)
    if source == "yahoo":
        report = yahoo_landing.land_prices(
            settings, YahooClient(url, session, TIMEOUT), ["NVDA"], today=date(2024, 12, 31)
        )
        if report.failed:
            raise ChipwatchError(report.failed[0].error)
        return yahoo_landing.bars_path(settings, "NVDA")
    if source == "epoch":
        epoch_landing.land_hardware(settings, epoch.EpochClient(url, session, TIMEOUT))
        return epoch_landing.hardware_path(settings)
    if source == "french":
        french_landing.land_factors(settings, french.FrenchClient(url, session, TIMEOUT))
        return french_landing.factors_path(settings)
    report = comtrade_landing.land_trade(
        settings, comtrade.ComtradeClient(url, session, TIMEOUT, api_key=""), TRADE_QUERY, incremental=False
    )
    if report.failures:
        raise ChipwatchError(next(iter(report.failures.values())))
    return comtrade_landing.records_path(settings)


def rows(path: Path) -> list:
    return sorted(map(str, pq.read_table(path).to_pylist()))


@pytest.mark.parametrize("source, fault_name", CASES)
def test_fault_matrix(source, fault_name, replay, home, monkeypatch, matrix_results):
    monkeypatch.setenv("CHIPWATCH_START_DATE", "2024-06-01")
    settings = load_settings("live")
    path = land(source, settings, replay.url)  # a clean landing first: what a fault must not lose or double
    clean = rows(path)
    fault, expect = {**FAULTS, **ONLY.get(source, {})}[fault_name]
    replay.control(
        **{k: ([x.format(p=PATTERN[source]) for x in v] if isinstance(v, list) else v) for k, v in fault.items()}
    )
    held = False
    try:
        try:
            land(source, settings, replay.url)
            outcome = "landed"
        except ChipwatchError as exc:
            outcome = "error"
            assert str(exc).startswith(ITEM[source].split()[0]) and ITEM[source].split()[1] in str(exc), str(exc)
        assert outcome == expect
        assert rows(path) == clean  # no row lost, none duplicated
        held = True
    finally:
        matrix_results.append((source, fault_name, held))
        replay.control()


@pytest.fixture(scope="module")
def matrix_results():
    """The fault matrix's outcomes, printed once the module's cases have run (each case asserts its own)."""
    results: list[tuple[str, str, bool]] = []
    yield results
    held = sum(ok for *_, ok in results)
    print(f"\nfault matrix: {len(results)} of {len(CASES)} cases tried, {held} held")


# -- crashes and readers (sample mode: offline, deterministic) --------------------------------------------------------


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def complete_snapshot(home: Path) -> int:
    """The published file opens and every mart in it can be read; returns the refresh count it holds."""
    con = duckdb.connect(str(home / "chipwatch.duckdb"), read_only=True)
    try:
        marts = [
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        ]
        assert len(marts) >= 20
        for mart in marts:
            con.execute(f'select count(*) from marts."{mart}"').fetchone()
        return con.execute("select count(*) from marts.meta_refreshes").fetchone()[0]
    finally:
        con.close()


def kill_when(proc: subprocess.Popen, ready, timeout: float = 600) -> bool:
    """Kill the refresh (its whole process group) once `ready()`; False when it finished first. A refresh that does
    neither within `timeout` is killed too, and the test fails: left running, it would hold the refresh lock and
    break the tests after it."""
    deadline = time.monotonic() + timeout
    while proc.poll() is None:
        if ready():
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return True
        if time.monotonic() > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            pytest.fail(f"the refresh neither reached the kill point nor finished in {timeout:.0f} s")
        time.sleep(0.01)
    return False


@pytest.fixture(scope="module")
def sample_home(tmp_path_factory):
    home = tmp_path_factory.mktemp("crash") / "home"
    env = chipwatch_env(home)
    assert run_chipwatch("refresh", env=env).returncode == 0
    return home, env


@pytest.mark.parametrize("point", ["fetching", "dbt building", "publishing"])
def test_a_killed_refresh_leaves_a_complete_snapshot_and_the_next_one_succeeds(sample_home, point, tmp_path):
    home, env = sample_home
    before = digest(home / "chipwatch.duckdb")
    log = tmp_path / "stderr.log"
    ready = {
        "fetching": lambda: log.read_text().count(" yahoo: ") > 5,
        "dbt building": lambda: (home / "build" / "chipwatch.duckdb.wal").exists(),  # dbt is writing
        "publishing": lambda: any(home.glob(".publish-*.duckdb*")),
    }[point]
    exe = Path(sys.executable).parent / "chipwatch"
    with open(log, "w") as err:
        proc = subprocess.Popen(
            [str(exe), "refresh"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True
        )
        killed = kill_when(proc, ready)
    print(f"\ncrash point {point}: {'killed' if killed else 'finished before the kill point'}")
    complete_snapshot(home)  # previous or new, never partial
    if killed and point != "publishing":
        assert digest(home / "chipwatch.duckdb") == before, log.read_text()[-1500:]
    nxt = run_chipwatch("refresh", env=env)
    assert nxt.returncode == 0, nxt.stdout + nxt.stderr[-2000:]
    complete_snapshot(home)
    assert not list(home.glob(".publish-*")) and not list(home.rglob(".*.tmp"))


READER = """
import sys, time, duckdb
path, stop = sys.argv[1], sys.argv[2]
seen, errors, reads = [], 0, 0
import os
while not os.path.exists(stop):
    try:
        con = duckdb.connect(path, read_only=True)
        n = con.execute("select count(*) from marts.meta_refreshes").fetchone()[0]
        con.close()
        reads += 1
        if not seen or seen[-1] != n:
            seen.append(n)
    except Exception as exc:
        errors += 1
        print("ERROR", exc, file=sys.stderr)
    time.sleep(0.05)
print(reads, errors, ",".join(map(str, seen)))
"""


def test_a_reader_querying_in_a_loop_never_errors_and_sees_old_then_new(sample_home, tmp_path):
    home, env = sample_home
    stop = tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(home / "chipwatch.duckdb"), str(stop)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(1)
    before = complete_snapshot(home)
    proc = run_chipwatch("refresh", "--full-rebuild", env=env)  # nothing new lands: force a publish
    time.sleep(1)
    stop.touch()
    out, err = reader.communicate(timeout=30)
    reads, errors, seen = out.split()
    print(f"\nreader: {reads} reads during a refresh, {errors} errors, refresh counts seen {seen}")
    assert proc.returncode == 0
    assert int(errors) == 0, err[-2000:]
    # the old snapshot, then the new one; the new one counts this refresh and the earlier ones of this module that
    # published nothing (killed, or nothing new since the last build)
    after = complete_snapshot(home)
    assert after > before
    assert [int(x) for x in seen.split(",")] == [before, after]


# -- what was published is recorded: a publish cut short is finished by the next refresh (issue 30) ------------------


def mart_counts(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        names = [
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        ]
        return {n: con.execute(f'select count(*) from marts."{n}"').fetchone()[0] for n in names}
    finally:
        con.close()


def assert_publish_current(home: Path, report: bool) -> None:
    """The published database holds the build database's marts, every export holds the published mart's rows, and
    the report is newer than the published file: checked on the files, not on the record."""
    built, published = mart_counts(home / "build" / "chipwatch.duckdb"), mart_counts(home / "chipwatch.duckdb")
    assert published == {k: v for k, v in built.items() if k in published} and "meta_refreshes" in published
    exported = {p.stem: pq.ParquetFile(p).metadata.num_rows for p in (home / "exports").glob("*.parquet")}
    assert exported == published
    if report:
        assert (home / "report.html").stat().st_mtime_ns >= (home / "chipwatch.duckdb").stat().st_mtime_ns


def publish_record(home: Path) -> dict:
    import json

    path = home / "published.json"
    return json.loads(path.read_text()) if path.exists() else {}


@pytest.mark.parametrize("point", ["publish", "exports", "report"])
def test_a_publish_killed_part_way_is_finished_by_the_next_refresh_with_nothing_new(sample_home, point, tmp_path):
    """SIGKILL while the database is being copied, while the exports are written, and while the report is rendered,
    after a build with new data (a forced full rebuild adds a refresh to meta_refreshes); the next refresh lands
    nothing new, and must still bring every lagging output up to the build."""
    home, env = sample_home
    env = {**env, "CHIPWATCH_REPORT": "1"}
    assert run_chipwatch("refresh", env=env).returncode in (0, 2)  # the report exists before the kill
    old = publish_record(home)
    step_done = lambda step: (publish_record(home).get(step) or {}).get("build") != (old.get(step) or {}).get("build")  # noqa: E731
    ready = {
        "publish": lambda: any(home.glob(".publish-*.duckdb*")),
        "exports": lambda: step_done("database"),  # the database is published, the exports are being written
        "report": lambda: step_done("exports"),  # the exports are written, the report is being rendered
    }[point]
    exe = Path(sys.executable).parent / "chipwatch"
    log = tmp_path / "stderr.log"
    with open(log, "w") as err:
        proc = subprocess.Popen(
            [str(exe), "refresh", "--full-rebuild"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=err,
            start_new_session=True,
        )
        killed = kill_when(proc, ready)
    print(f"\npublish cut at {point}: {'killed' if killed else 'finished before the kill point'}")
    complete_snapshot(home)
    nxt = run_chipwatch("refresh", env=env)
    assert nxt.returncode == 0, nxt.stdout + nxt.stderr[-2000:]
    if killed:
        assert "finishing the publish that was cut short" in nxt.stdout, nxt.stdout
        assert "published   : unchanged" not in nxt.stdout
    assert_publish_current(home, report=True)
    assert not list(home.glob(".publish-*")) and not list(home.rglob(".*.tmp"))
    status = run_chipwatch("status", env=env)
    assert "LAGGING" not in status.stdout, status.stdout


def test_exports_that_fail_after_the_database_was_replaced_are_reported_and_redone(sample_home):
    """The database is published, then the exports fail (here their folder is a file): the summary says what was
    published and what lags (exit 1, not 'nothing published'), status says so too, and the next refresh re-exports."""
    home, env = sample_home
    exports = home / "exports"
    aside = home / "exports-aside"
    exports.rename(aside)
    exports.write_text("not a folder")
    try:
        before = mart_counts(home / "chipwatch.duckdb")["meta_refreshes"]
        failed = run_chipwatch("refresh", "--full-rebuild", env=env)
        assert failed.returncode == 1, failed.stdout + failed.stderr[-2000:]
        assert mart_counts(home / "chipwatch.duckdb")["meta_refreshes"] > before  # the database did change
        assert f"published   : {home / 'chipwatch.duckdb'}" in failed.stdout
        assert "lagging     : exports" in failed.stdout and "NOTHING" not in failed.stdout
        status = run_chipwatch("status", env=env)
        assert "LAGGING — exports" in status.stdout and status.returncode == 1, status.stdout
    finally:
        exports.unlink()
        aside.rename(exports)
    fixed = run_chipwatch("refresh", env=env)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr[-2000:]
    assert "rewritten   : exports" in fixed.stdout
    assert_publish_current(home, report=False)
