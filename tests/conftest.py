"""Shared fixtures. The replay server (../shared/replay/server.py) stands in for the real services on 127.0.0.1."""

import inspect
import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[1]

# tests/spark builds the warehouse on Spark too (minutes, and the .venv-spark install): only `make test-spark` runs it
collect_ignore = [] if os.environ.get("CHIPWATCH_TEST_SPARK") == "1" else ["spark"]
SHARED = ROOT.parent / "shared"
REPLAY = SHARED / "replay" / "server.py"
REPLAY_PRICES = SHARED / "replay" / "data" / "prices"
# CI always has ../shared and requires its checks (.ci/run sets CHIPWATCH_REQUIRE_REPLAY=1); a clone of the project on
# its own skips the tests that need the replay server or its recorded data, and says why.
REPLAY_REQUIRED = os.environ.get("CHIPWATCH_REQUIRE_REPLAY") == "1"
REPLAY_FIXTURES = {"replay_server", "replay", "live_warehouse"}
NO_REPLAY = (f"needs the replay server and its real recorded data ({REPLAY.parent}), which sit beside the project in "
             "CI and on developers' machines but not in a lone clone")


def _source(function) -> str:
    try:
        return inspect.getsource(function)
    except (OSError, TypeError):
        return ""


def pytest_collection_modifyitems(config, items):
    """Without ../shared, skip what needs it (unless CHIPWATCH_REQUIRE_REPLAY=1, where the fixture fails instead)."""
    if REPLAY.exists() or REPLAY_REQUIRED:
        return
    helpers_by_module = {}
    for item in items:
        uses_fixture = REPLAY_FIXTURES & set(getattr(item, "fixturenames", ()))
        functions = [getattr(item, "function", None)]
        fixture_info = getattr(item, "_fixtureinfo", None)
        for defs in (fixture_info.name2fixturedefs.values() if fixture_info else ()):
            functions += [d.func for d in defs]
        # module helpers that read the recorded data (e.g. test_epoch's edited()) count when a test calls them
        if item.module not in helpers_by_module:
            helpers_by_module[item.module] = {
                name for name, obj in vars(item.module).items()
                if inspect.isfunction(obj) and not name.startswith("test_") and "REPLAY" in _source(obj)}
        helpers = helpers_by_module[item.module]
        sources = [_source(f) for f in functions if f is not None]
        reads_data = any("REPLAY" in src or any(f"{h}(" in src for h in helpers) for src in sources)
        if uses_fixture or reads_data:
            item.add_marker(pytest.mark.skip(reason=NO_REPLAY))


class Replay:
    def __init__(self, url: str):
        self.url = url

    def control(self, **faults) -> None:
        req = urllib.request.Request(f"{self.url}/__control__", data=json.dumps(faults).encode(), method="POST")
        urllib.request.urlopen(req, timeout=5).read()

    def log(self) -> list[dict]:
        return json.loads(urllib.request.urlopen(f"{self.url}/__log__", timeout=5).read())

    def clear_log(self) -> None:
        urllib.request.urlopen(urllib.request.Request(f"{self.url}/__log__", method="DELETE"), timeout=5).read()


@pytest.fixture(scope="session")
def replay_server(tmp_path_factory):
    if not REPLAY.exists():
        pytest.fail(f"{REPLAY} is missing: CI and developers always have ../shared beside the project")
    port_file = tmp_path_factory.mktemp("replay") / "url"
    proc = subprocess.Popen([sys.executable, str(REPLAY), "--port", "0", "--port-file", str(port_file)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while not (port_file.exists() and port_file.read_text().strip()):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"replay server did not start: {proc.stdout.read().decode()[:500]}")
        time.sleep(0.05)
    yield Replay(port_file.read_text().strip())
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def replay(replay_server):
    """The session's server with faults cleared and an empty request log."""
    replay_server.control()
    replay_server.clear_log()
    yield replay_server
    replay_server.control()


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A private $CHIPWATCH_HOME (and DAGSTER_HOME) for one test."""
    monkeypatch.setenv("CHIPWATCH_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    for name in ("CHIPWATCH_SOURCE", "CHIPWATCH_YAHOO_URL", "CHIPWATCH_START_DATE"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path / "home"


def chipwatch_env(home: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHIPWATCH_")}
    env.update(CHIPWATCH_HOME=str(home), DAGSTER_HOME=str(home.parent / "dagster_home"), **extra)
    return env


def run_chipwatch(*args, env: dict, timeout: int = 300) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).parent / "chipwatch"
    return subprocess.run([str(exe), *args], env=env, capture_output=True, text=True, timeout=timeout, cwd=ROOT)


def replay_csv_rows(symbol: str) -> dict[str, dict]:
    """The replay server's recorded bars for one symbol, by ISO date (read for independent checks only)."""
    import csv

    with open(REPLAY_PRICES / f"{symbol.replace('^', '_')}.csv", newline="") as fh:
        return {row["date"]: row for row in csv.DictReader(fh)}


REPLAY_HARDWARE = SHARED / "replay" / "data" / "chips" / "ml_hardware.csv"


@pytest.fixture(scope="session")
def live_warehouse(replay_server, tmp_path_factory):
    """One live refresh against the replay server, shared by every test that reads its warehouse."""
    replay_server.control()
    home = tmp_path_factory.mktemp("live") / "home"
    env = chipwatch_env(home, CHIPWATCH_SOURCE="live", CHIPWATCH_YAHOO_URL=replay_server.url,
                        CHIPWATCH_EPOCH_URL=replay_server.url, CHIPWATCH_COMTRADE_URL=replay_server.url,
                        CHIPWATCH_HTTP_BACKOFF="0.01")
    proc = run_chipwatch("refresh", env=env)
    return home, env, proc


@pytest.fixture(scope="session")
def sample_warehouse(tmp_path_factory):
    """One offline refresh from the bundled sample (no network), shared by every test that reads its warehouse."""
    home = tmp_path_factory.mktemp("sample") / "home"
    env = chipwatch_env(home)  # no CHIPWATCH_SOURCE: sample by default
    proc = run_chipwatch("refresh", env=env)
    return home, env, proc


def q(home, sql, params=()):
    con = duckdb.connect(str(home / "chipwatch.duckdb"), read_only=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


REPLAY_TRADE = SHARED / "replay" / "data" / "trade" / "comtrade_records.jsonl"
