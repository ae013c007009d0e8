"""Shared fixtures. A local server stands in for the real services on 127.0.0.1: ../shared/replay/server.py (real
recorded data) when ../shared is beside the project, else the project's own tests/standin_server.py (the bundled
sample). Tests marked real_data check figures only the recorded data have: they need ../shared."""

import csv
import gzip
import itertools
import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest

from pipelines.lib import comtrade, epoch, french

ROOT = Path(__file__).resolve().parents[1]

# tests/spark builds the warehouse on Spark too (minutes, and the .venv-spark install): only `make test-spark` runs it
collect_ignore = [] if os.environ.get("CHIPWATCH_TEST_SPARK") == "1" else ["spark"]
SHARED = ROOT.parent / "shared"
REPLAY = SHARED / "replay" / "server.py"
REPLAY_PRICES = SHARED / "replay" / "data" / "prices"
REPLAY_HARDWARE = SHARED / "replay" / "data" / "chips" / "ml_hardware.csv"
REPLAY_TRADE = SHARED / "replay" / "data" / "trade" / "comtrade_records.jsonl"
REPLAY_FRENCH = SHARED / "replay" / "data" / "french"  # the library's zips as downloaded (read for checks only)
STANDIN = ROOT / "tests" / "standin_server.py"
REAL_DATA = REPLAY.exists()
# The file the running server answers from, for checks that hold on either data set (parsers, counts carried through)
SERVED_HARDWARE = REPLAY_HARDWARE if REAL_DATA else epoch.SAMPLE_FILE
SERVED_FRENCH = REPLAY_FRENCH if REAL_DATA else french.SAMPLE_DIR  # the folder of the French zips the server answers
# CI always has ../shared and requires its checks (.ci/run sets CHIPWATCH_REQUIRE_REPLAY=1); a clone of the project on
# its own runs every live-path test against the stand-in and skips, saying why, the ones marked real_data.
REPLAY_REQUIRED = os.environ.get("CHIPWATCH_REQUIRE_REPLAY") == "1"
NO_REPLAY = (
    f"checks real recorded data: needs {SHARED / 'replay'} (there in CI; this lone clone runs the other "
    "live-path tests against tests/standin_server.py)"
)


def pytest_report_header(config):
    server = (
        f"{REPLAY} (real recorded data)"
        if REAL_DATA
        else f"{STANDIN} (bundled sample; real_data tests skip, or fail under CHIPWATCH_REQUIRE_REPLAY=1)"
    )
    return f"live-path tests answered by {server}"


# Test tiers (markers, set here by file so no test can be left without one):
# - unit: parsers, clients against the local stand-in server, landing into a temp folder, the CLI on a small file,
#   the definitions: no dbt build and no refresh (`make test-fast`);
# - integration: one dbt build or one refresh of the sample or the replay (the models, the marts, the claims);
# - e2e: several refreshes, kills, readers, the browser and the benchmark smoke run.
# `make test` runs every tier; `pytest -m unit` (or integration, e2e) one.
UNIT_FILES = {
    "test_config.py",
    "test_http.py",
    "test_publish.py",
    "test_safety.py",
    "test_secrets.py",
    "test_yahoo.py",
    "test_docs.py",
    "test_definitions.py",
    "test_properties.py",
    "test_epoch.py",
    "test_comtrade.py",
    "test_french.py",
    "test_landing.py",
    "test_engines.py",
    "test_row_counts.py",
}
E2E_FILES = {
    "test_refresh_integration.py",
    "test_reliability.py",
    "test_dashboard.py",
    "test_operations.py",
    "test_bench_smoke.py",
    "test_incremental_builds.py",
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if any(item.get_closest_marker(tier) for tier in ("unit", "integration", "e2e")):
            continue  # a test that says its own tier (one that builds the sample in a unit file)
        name = item.path.name
        item.add_marker("unit" if name in UNIT_FILES else "e2e" if name in E2E_FILES else "integration")


def pytest_runtest_setup(item):
    """A real_data test without ../shared: skipped in a lone clone, an error where CHIPWATCH_REQUIRE_REPLAY=1."""
    if item.get_closest_marker("real_data") and not REAL_DATA:
        if REPLAY_REQUIRED:
            pytest.fail(f"{REPLAY} is missing: CI and developers always have ../shared beside the project")
        pytest.skip(NO_REPLAY)


class Replay:
    def __init__(self, url: str, real_data: bool):
        self.url = url
        self.real_data = real_data  # True: ../shared's recorded data; False: the stand-in's bundled sample

    def control(self, **faults) -> None:
        req = urllib.request.Request(f"{self.url}/__control__", data=json.dumps(faults).encode(), method="POST")
        urllib.request.urlopen(req, timeout=5).read()

    def log(self) -> list[dict]:
        return json.loads(urllib.request.urlopen(f"{self.url}/__log__", timeout=5).read())

    def clear_log(self) -> None:
        urllib.request.urlopen(urllib.request.Request(f"{self.url}/__log__", method="DELETE"), timeout=5).read()


@pytest.fixture(scope="session")
def replay_server(tmp_path_factory):
    if not REAL_DATA and REPLAY_REQUIRED:
        pytest.fail(f"{REPLAY} is missing: CI and developers always have ../shared beside the project")
    server = REPLAY if REAL_DATA else STANDIN
    port_file = tmp_path_factory.mktemp("replay") / "url"
    proc = subprocess.Popen(
        [sys.executable, str(server), "--port", "0", "--port-file", str(port_file)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while not (port_file.exists() and port_file.read_text().strip()):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"{server.name} did not start: {proc.stdout.read().decode()[:500]}")
        time.sleep(0.05)
    yield Replay(port_file.read_text().strip(), REAL_DATA)
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


def served_hardware_count() -> int:
    """Rows in the Epoch hardware CSV the server answers with."""
    with open(SERVED_HARDWARE, newline="", encoding="utf-8-sig") as fh:
        return sum(1 for _ in csv.DictReader(fh))


def served_trade_records(limit: int | None = None) -> list[dict]:
    """The Comtrade records the server answers from (the recorded ones, or the bundled sample's), in file order."""
    with open(REPLAY_TRADE) if REAL_DATA else gzip.open(comtrade.SAMPLE_FILE, "rt") as fh:
        return [json.loads(line) for line in itertools.islice(fh, limit)]


def recorded_thai_imports():
    """Thailand's (764) recorded HS 8542 imports by partner and year, straight from the replay's records."""
    value = {}
    with open(REPLAY_TRADE) as fh:
        for r in map(json.loads, fh):
            if (r["reporterCode"], r["flowCode"], r["freqCode"], r["cmdCode"], r["partner2Code"]) == (
                764,
                "M",
                "A",
                "8542",
                0,
            ):
                key = (int(r["period"]), r["partnerCode"])
                assert key not in value, key  # one record per year and partner
                value[key] = r["primaryValue"]
    return value


def recorded_returns(symbol: str):
    """The replay server's recorded daily returns of one symbol (adjusted close over the previous recorded one), by
    date, as a pandas Series (read for independent checks only)."""
    import pandas as pd

    frame = pd.read_csv(REPLAY_PRICES / f"{symbol.replace('^', '_')}.csv", parse_dates=["date"]).set_index("date")
    return frame["adjclose"].pct_change()


def sample_generator():
    """scripts/make_sample.py as a module: what the bundled sample planted (PLANTED, PLANTED_FAMILIES)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_sample", ROOT / "scripts" / "make_sample.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def replay_csv_rows(symbol: str) -> dict[str, dict]:
    """The replay server's recorded bars for one symbol, by ISO date (read for independent checks only)."""
    with open(REPLAY_PRICES / f"{symbol.replace('^', '_')}.csv", newline="") as fh:
        return {row["date"]: row for row in csv.DictReader(fh)}


@pytest.fixture(scope="session")
def live_warehouse(replay_server, tmp_path_factory):
    """One live refresh against the replay server, shared by every test that reads its warehouse."""
    replay_server.control()
    home = tmp_path_factory.mktemp("live") / "home"
    env = chipwatch_env(
        home,
        CHIPWATCH_SOURCE="live",
        CHIPWATCH_YAHOO_URL=replay_server.url,
        CHIPWATCH_EPOCH_URL=replay_server.url,
        CHIPWATCH_COMTRADE_URL=replay_server.url,
        CHIPWATCH_FRENCH_URL=replay_server.url,
        CHIPWATCH_HTTP_BACKOFF="0.01",
    )
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
