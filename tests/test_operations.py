"""Operations: incremental and backfill requests (seen in the replay server's request log), per-source status and
its cadence, and one failing source staying one failing source."""

import json
import shutil
from datetime import UTC, date, datetime, timedelta

import pyarrow.parquet as pq
import pytest

from pipelines.lib import comtrade, comtrade_landing, raw_zone, refreshes, status, yahoo_landing
from pipelines.lib.config import DBT_PROJECT_DIR, load_settings
from pipelines.lib.http import make_session
from pipelines.lib.yahoo import YahooClient

from .conftest import chipwatch_env, q, run_chipwatch, served_hardware_count


@pytest.fixture
def settings(home, replay, monkeypatch):
    for name in ("CHIPWATCH_YAHOO_URL", "CHIPWATCH_COMTRADE_URL"):
        monkeypatch.setenv(name, replay.url)
    monkeypatch.setenv("CHIPWATCH_START_DATE", "2024-01-01")
    return load_settings("live")


def periods_asked(replay, flow=None, freq=None):
    return [
        tuple(r["query"]["period"].split(","))
        for r in replay.log()
        if "/HS" in r["path"]
        and (flow is None or r["query"]["flowCode"] == flow)
        and (freq is None or f"/C/{freq}/" in r["path"])
    ]


def test_a_second_trade_refresh_asks_only_new_and_recent_periods(settings, replay):
    client = comtrade.ComtradeClient(replay.url, make_session(retries=1, backoff=0.01), timeout=5, api_key="")
    queries = comtrade.default_queries(2013, date(2025, 9, 1))
    comtrade_landing.land_trade(settings, client, queries)
    first = periods_asked(replay)
    replay.clear_log()
    comtrade_landing.land_trade(settings, client, queries)
    second = periods_asked(replay)
    asked_again = {p for ps in second for p in ps}
    monthly_exports = {p for ps in periods_asked(replay, "X", "M") for p in ps}
    # years the recorded data answer are asked again only when among the latest two landed (Comtrade revises them);
    # periods nothing answered yet (2025 annual, most monthly queries) are asked again until they arrive
    assert {str(y) for y in range(2013, 2023)}.isdisjoint(asked_again)
    assert {"2023", "2024"} <= asked_again
    assert {"202506", "202507", "202508"} <= monthly_exports and "202501" not in monthly_exports
    assert sum(map(len, second)) < sum(map(len, first))


def test_a_backfill_asks_exactly_its_range_and_replaces_those_days(settings, replay):
    client = YahooClient(replay.url, make_session(retries=1, backoff=0.01), timeout=5)
    yahoo_landing.land_prices(settings, client, ["AMD"], today=date(2024, 6, 28))
    replay.clear_log()
    report = yahoo_landing.land_prices(settings, client, ["AMD"], refetch=(date(2024, 3, 1), date(2024, 3, 31)))
    (asked,) = replay.log()
    p1 = datetime.fromtimestamp(int(asked["query"]["period1"]), UTC).date()
    p2 = datetime.fromtimestamp(int(asked["query"]["period2"]), UTC).date()
    assert (p1, p2) == (date(2024, 3, 1), date(2024, 4, 1))
    assert report.results[0].rows_received == 20 and report.results[0].rows_new == 0  # March 2024 had 20 sessions
    narrowed = comtrade_landing.restrict(
        comtrade.default_queries(2010, date(2025, 9, 1)), date(2024, 11, 1), date(2025, 2, 28)
    )
    assert {p for q in narrowed for p in q.periods} == {"2024", "202411", "202412", "202501", "202502"}


def test_status_is_stale_past_the_cadence_and_after_a_failed_attempt(home):
    settings = load_settings()
    now = datetime(2025, 6, 2, 12, tzinfo=UTC)

    def attempt(refresh_id, dataset, days_ago, rows=None, error=None):
        at = now - timedelta(days=days_ago)
        done = refreshes.Attempt(refresh_id, *dataset.split("."), settings.source, started_at=at, finished_at=at)
        refreshes.record(settings, done.fail(error) if error else done.succeed(rows, 1))

    attempt("20250530T120000Z-000001", "yahoo.daily_bars", 3, rows=10)
    attempt("20250524T120000Z-000002", "epoch.ml_hardware", 9, rows=5)
    attempt("20250531T120000Z-000003", "comtrade.records", 2, rows=7)
    attempt("20250601T120000Z-000004", "comtrade.records", 1, error="comtrade: boom")
    attempt("20250424T120000Z-000005", "french.factors_daily", 39, rows=9)  # monthly with a lag: 39 days is fresh
    attempt("20250422T120000Z-000006", "french.momentum_daily", 41, rows=9)
    found = status.read_all(settings)
    assert list(found) == list(status.DATASETS)
    yahoo, epoch, clusters, trade = (
        found[s] for s in ("yahoo.daily_bars", "epoch.ml_hardware", "epoch.gpu_clusters", "comtrade.records")
    )
    assert not found["french.factors_daily"].is_stale(now) and found["french.momentum_daily"].is_stale(now)
    assert not yahoo.is_stale(now) and epoch.is_stale(now)
    assert clusters.last_attempt_at is None and clusters.is_stale(now)  # never landed
    assert trade.last_attempt_ok is False and trade.rows == 7  # the failure keeps the last success
    assert trade.error == "comtrade: boom" and trade.last_attempt_at == now - timedelta(days=1)
    assert trade.last_success_at == now - timedelta(days=2) and not trade.is_stale(now)


def test_one_failing_source_fails_alone_and_its_marts_keep_their_last_good_data(
    live_warehouse, replay_server, tmp_path
):
    source_home, env, _ = live_warehouse
    home = tmp_path / "home"
    shutil.copytree(source_home, home)
    env = {**env, **chipwatch_env(home), "CHIPWATCH_HTTP_RETRIES": "0"}
    before = q(home, "select * from marts.dim_accelerators order by chip_id")
    replay_server.control(fail=["ml_hardware:500"])
    try:
        proc = run_chipwatch("refresh", env=env)
    finally:
        replay_server.control()
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "epoch:ml_hardware: epoch ml_hardware.csv (HTTP 500)" in proc.stdout
    assert "last good snapshot stays" in proc.stdout
    assert q(home, "select * from marts.dim_accelerators order by chip_id") == before
    refreshes = q(home, "select failed_items from marts.meta_refreshes order by started_at desc limit 1")[0][0]
    assert refreshes == "epoch:ml_hardware"  # the one failing item: every listed symbol is served (^HSI too)
    assert q(home, "select count(*) from marts.fct_ic_trade")[0][0] > 0
    shown = run_chipwatch("status", env=env)
    assert shown.returncode == 1
    epoch_line = next(line for line in shown.stdout.splitlines() if line.startswith("epoch"))
    assert "FAILED" in epoch_line and "keep the data of the last success" in epoch_line
    yahoo_line = next(line for line in shown.stdout.splitlines() if line.startswith("yahoo"))
    assert "fresh" in yahoo_line


def test_a_first_refresh_with_a_source_down_still_publishes_the_others(replay_server, tmp_path):
    # a new home: Comtrade has never landed and is unreachable now; prices and chips land from the replay server
    home = tmp_path / "home"
    env = chipwatch_env(
        home,
        CHIPWATCH_SOURCE="live",
        CHIPWATCH_YAHOO_URL=replay_server.url,
        CHIPWATCH_EPOCH_URL=replay_server.url,
        CHIPWATCH_COMTRADE_URL="http://127.0.0.1:9",
        CHIPWATCH_FRENCH_URL=replay_server.url,
        CHIPWATCH_HTTP_RETRIES="0",
        CHIPWATCH_HTTP_BACKOFF="0.01",
    )
    proc = run_chipwatch("refresh", env=env)
    assert proc.returncode == 1, proc.stdout + proc.stderr[-3000:]
    assert "  comtrade.records: comtrade: no query landed" in proc.stdout
    assert "last good trade data stays" not in proc.stdout  # there is none: the empty stand-in does not count
    assert q(home, "select count(*) from marts.fct_ic_trade")[0][0] == 0
    assert q(home, "select count(*) from marts.fct_event_returns")[0][0] > 0
    assert q(home, "select count(*) from marts.dim_accelerators where in_epoch")[0][0] == served_hardware_count()
    failed, datasets_failed = q(home, "select failed_items, datasets_failed from marts.meta_refreshes")[0]
    assert "comtrade" not in (failed or "") and datasets_failed == "comtrade.records"  # no item: the service was down


def test_a_stand_in_is_written_only_for_a_source_that_never_landed_and_real_bars_replace_it(home, replay, monkeypatch):
    settings = load_settings("sample")
    assert sorted(raw_zone.ensure_sources(settings)) == sorted(raw_zone.tables(settings))
    assert raw_zone.ensure_sources(settings) == []  # once there, nothing more
    for path, schema in raw_zone.tables(settings).values():
        assert pq.read_schema(path).equals(schema) and not raw_zone.has_rows(path)
    live = load_settings("live")
    monkeypatch.setenv("CHIPWATCH_YAHOO_URL", replay.url)
    raw_zone.ensure_sources(live)
    client = YahooClient(replay.url, make_session(retries=1, backoff=0.01), timeout=5)
    yahoo_landing.land_prices(live, client, ["NVDA"], today=date(2024, 3, 28))
    assert [p.name for p in yahoo_landing.bars_path(live, "NVDA").parent.glob("*.parquet")] == ["bars-NVDA.parquet"]


def test_every_dbt_source_has_a_stand_in():
    manifest = json.loads((DBT_PROJECT_DIR / "target" / "manifest.json").read_text())
    sources = {f"{s['source_name']}.{s['name']}" for s in manifest["sources"].values()}
    assert sources == set(raw_zone.tables(load_settings("sample")))


def test_chipwatch_backfill_asks_again_for_the_months_covering_its_dates_and_the_ui_sees_them_landed(
    live_warehouse, replay, tmp_path
):
    import dagster as dg

    source_home, env, _ = live_warehouse
    home = tmp_path / "home"
    shutil.copytree(source_home, home)
    env = {**env, **chipwatch_env(home)}  # a Dagster instance of its own beside the copied home
    proc = run_chipwatch("backfill", "--start", "2024-03-05", "--end", "2024-03-20", "--only", "yahoo", env=env)
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr[-3000:]  # 1 when a symbol is unknown to the service
    assert "published   : " + str(home / "chipwatch.duckdb") in proc.stdout
    charts = [r for r in replay.log() if "/chart/" in r["path"]]
    assert charts and not [r for r in replay.log() if "/HS" in r["path"] or r["path"].endswith(".csv")]
    windows = {
        (
            datetime.fromtimestamp(int(r["query"]["period1"]), UTC).date(),
            datetime.fromtimestamp(int(r["query"]["period2"]), UTC).date(),
        )
        for r in charts
    }
    assert windows == {(date(2024, 3, 1), date(2024, 4, 1))}  # the whole month, once per symbol
    instance = dg.DagsterInstance.from_config(env["DAGSTER_HOME"])
    assert instance.get_materialized_partitions(dg.AssetKey("yahoo_daily_bars")) == {"2024-03-01"}
    refresh_ids = {r.tags.get("chipwatch/refresh_id") for r in instance.get_runs()}
    assert len(refresh_ids) == 1  # the ingestion run and the build run of one refresh
    latest = q(home, "select refresh_id, datasets_asked from marts.meta_refreshes order by started_at desc limit 1")
    assert latest == [(refresh_ids.pop(), "yahoo.daily_bars")]


def test_status_says_how_many_tier2_countries_asked_reported(live_warehouse):
    """A gap said out loud: most Tier-2 countries give Comtrade no partner detail; status counts them from the rows."""
    home, env, _ = live_warehouse
    proc = run_chipwatch("status", env=env)
    year, reporting, asked = q(
        home,
        "select year, count(distinct case when country_reported then country_iso3 end), "
        "count(distinct country_iso3) from marts.fct_tier2_sourcing where frequency = "
        "'annual' and hs_code = '8542' group by year order by year desc limit 1",
    )[0]
    assert reporting <= asked
    assert f"{year}: {reporting} of {asked} Tier-2 countries asked reported" in proc.stdout
