"""Landing prices: raw kept, incremental, idempotent, revisions refetched, one bad symbol isolated."""

from datetime import UTC, date, datetime

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from pipelines.lib import landing, yahoo_landing
from pipelines.lib.config import load_settings
from pipelines.lib.http import make_session
from pipelines.lib.yahoo import YahooClient

from .conftest import replay_csv_rows


@pytest.fixture
def settings(home, replay, monkeypatch):
    monkeypatch.setenv("CHIPWATCH_YAHOO_URL", replay.url)
    monkeypatch.setenv("CHIPWATCH_START_DATE", "2024-01-01")
    return load_settings("live")


def live_client(replay):
    return YahooClient(replay.url, make_session(retries=1, backoff=0.01), timeout=5)


def chart_requests(replay, symbol):
    return [r for r in replay.log() if r["path"].endswith("/" + symbol)]


@pytest.mark.real_data
def test_second_refresh_asks_only_for_new_days_and_never_duplicates(settings, replay):
    client = live_client(replay)
    first = yahoo_landing.land_prices(settings, client, ["NVDA"], today=date(2025, 3, 31))
    assert first.results[0].ok
    # what the refresh's run will cover (its partitions start there); a symbol with no history yet: everything
    predicted = yahoo_landing.refresh_start(settings, ["NVDA"])
    assert yahoo_landing.refresh_start(settings, ["NVDA", "AMD"]) == settings.start == date(2024, 1, 1)
    replay.clear_log()
    second = yahoo_landing.land_prices(settings, client, ["NVDA"], today=date(2025, 5, 30))
    asked = chart_requests(replay, "NVDA")
    assert len(asked) == 1
    period1 = datetime.fromtimestamp(int(asked[0]["query"]["period1"]), UTC).date()
    assert period1 == date(2025, 3, 31) - yahoo_landing.timedelta(days=yahoo_landing.OVERLAP_DAYS) == predicted
    table = pq.read_table(yahoo_landing.bars_path(settings, "NVDA"))
    expected = [d for d in replay_csv_rows("NVDA") if "2024-01-01" <= d <= "2025-05-30"]
    assert sorted(d.isoformat() for d in table["trade_date"].to_pylist()) == expected  # each day once
    assert second.results[0].rows_new == len([d for d in expected if d > "2025-03-31"])


def test_refreshing_again_with_the_same_data_changes_nothing(settings, replay):
    client = live_client(replay)
    yahoo_landing.land_prices(settings, client, ["AMD"], today=date(2024, 12, 31))
    path = yahoo_landing.bars_path(settings, "AMD")
    before = path.read_bytes()
    again = yahoo_landing.land_prices(settings, client, ["AMD"], today=date(2024, 12, 31))
    assert again.results[0].rows_new == 0
    assert path.read_bytes() == before


@pytest.mark.real_data
def test_a_revised_history_is_fetched_again_in_full(settings, replay):
    client = live_client(replay)
    yahoo_landing.land_prices(settings, client, ["MU"], today=date(2024, 6, 28))
    path = yahoo_landing.bars_path(settings, "MU")
    table = pq.read_table(path)
    # pretend a dividend re-adjusted history: the stored adjusted closes no longer match the service's
    landing.write_parquet(
        path,
        table.set_column(table.schema.get_field_index("adj_close"), "adj_close", pc.multiply(table["adj_close"], 0.99)),
    )
    replay.clear_log()
    result = yahoo_landing.land_prices(settings, client, ["MU"], today=date(2024, 7, 31)).results[0]
    assert result.refetched_full_history
    periods = [datetime.fromtimestamp(int(r["query"]["period1"]), UTC).date() for r in chart_requests(replay, "MU")]
    assert periods[-1] == date(2024, 1, 1)
    stored = pq.read_table(path)
    recorded = replay_csv_rows("MU")
    day = stored["trade_date"].to_pylist().index(date(2024, 3, 1))
    assert stored["adj_close"][day].as_py() == pytest.approx(float(recorded["2024-03-01"]["adjclose"]))


def test_one_bad_symbol_fails_alone_and_its_payload_is_kept(settings, replay):
    replay.control(garble=["688256:truncated"])
    report = yahoo_landing.land_prices(settings, live_client(replay), ["688256.SS", "AMAT"], today=date(2024, 3, 29))
    by_symbol = {r.symbol: r for r in report.results}
    assert by_symbol["AMAT"].ok and by_symbol["AMAT"].rows_stored > 0
    assert not by_symbol["688256.SS"].ok
    assert "yahoo 688256.SS" in by_symbol["688256.SS"].error and "truncated" in by_symbol["688256.SS"].error
    kept = list((settings.raw_dir / "yahoo" / "688256.SS").glob("*.body"))
    assert len(kept) == 1 and kept[0].read_bytes().startswith(b'{"chart"')
    assert not yahoo_landing.bars_path(settings, "688256.SS").exists()


def test_every_bars_file_is_visible_to_spark_and_hadoop_and_old_names_are_migrated(settings, replay):
    # Spark and Hadoop skip files whose names start with "_" or ".": '^GSPC' must not land as '_GSPC.parquet'.
    client = live_client(replay)
    folder = yahoo_landing.bars_path(settings, "NVDA").parent
    folder.mkdir(parents=True, exist_ok=True)
    legacy = folder / f"{landing.safe_name('^GSPC')}.parquet"  # as written before the prefix existed
    yahoo_landing.land_prices(settings, client, ["^GSPC"], today=date(2024, 3, 28))
    pq.write_table(pq.read_table(yahoo_landing.bars_path(settings, "^GSPC")), legacy)
    yahoo_landing.bars_path(settings, "^GSPC").unlink()

    report = yahoo_landing.land_prices(settings, client, ["^GSPC"], today=date(2024, 6, 28))
    assert report.results[0].ok
    names = sorted(p.name for p in folder.glob("*.parquet"))
    assert names == ["bars-_GSPC.parquet"]
    assert not any(name.startswith(("_", ".")) for name in names)
    dates = pq.read_table(folder / names[0])["trade_date"].to_pylist()
    assert min(dates) == date(2024, 1, 2) and len(dates) == len(set(dates))  # the migrated history was kept


# NAURA (002371.SZ) issued bonus shares, ex-date 2025-07-03 (close 437.12 -> 328.17). The recording of 2026-12 gives
# its adjusted closes before that day as close x 0.738944, Yahoo's factor (../shared/replay/PROVENANCE.md); the
# earlier recording, to 2025-05-23, had them equal to the close. A refresh that landed that series sees history revised.
NAURA, NAURA_FACTOR = "002371.SZ", 0.738944


@pytest.mark.real_data
@pytest.mark.parametrize(
    "start, path",
    [
        ("2024-07-19", "overlap"),  # history begins at the configured start: the overlap shows the revision
        ("2024-01-01", "whole"),  # history begins after the configured start: every landing asks for all of it
    ],
)
def test_naura_s_readjusted_history_replaces_the_stored_series_and_returns_stay_continuous(
    settings, replay, monkeypatch, start, path
):
    monkeypatch.setenv("CHIPWATCH_START_DATE", start)
    settings = load_settings("live")
    client = live_client(replay)
    yahoo_landing.land_prices(settings, client, [NAURA], today=date(2025, 5, 23))
    file = yahoo_landing.bars_path(settings, NAURA)
    stored = pq.read_table(file)
    assert max(stored["trade_date"].to_pylist()) == date(2025, 5, 23)
    # what the earlier recording had landed: adjusted close = close
    landing.write_parquet(
        file, stored.set_column(stored.schema.get_field_index("adj_close"), "adj_close", stored["close"])
    )
    replay.clear_log()
    result = yahoo_landing.land_prices(settings, client, [NAURA], today=date(2025, 12, 31)).results[0]
    assert result.ok and result.refetched_full_history == (path == "overlap")
    first_asked = [
        datetime.fromtimestamp(int(r["query"]["period1"]), UTC).date() for r in chart_requests(replay, NAURA)
    ]
    assert first_asked[-1] == date.fromisoformat(start)  # the last request asked for the whole history
    table = pq.read_table(file).to_pydict()
    recorded = replay_csv_rows(NAURA)
    assert [d.isoformat() for d in table["trade_date"]] == sorted(recorded)
    assert table["adj_close"] == pytest.approx([float(recorded[d]["adjclose"]) for d in sorted(recorded)], rel=1e-12)
    # one adjustment basis: before the ex-date every adjusted close is the close times Yahoo's factor
    ex = table["trade_date"].index(date(2025, 7, 3))
    assert all(
        a == pytest.approx(c * NAURA_FACTOR, rel=1e-9) for a, c in zip(table["adj_close"][:ex], table["close"][:ex])
    )
    # the return across the ex-date is the price move net of the bonus issue (+1.6%), not the -24.9% of the closes
    across = table["adj_close"][ex] / table["adj_close"][ex - 1] - 1
    assert across == pytest.approx(328.17 / (437.12 * NAURA_FACTOR) - 1, rel=1e-9)
    assert round(100 * across, 1) == 1.6 and round(100 * (328.17 / 437.12 - 1), 1) == -24.9


# -- an answer is checked against what was asked before it replaces anything (issue 30) ------------------------------


class TamperedCharts:
    """The bundled sample's charts, changed by `tamper(result)` as an upstream that answers wrongly would send them."""

    mode = "sample"

    def __init__(self, tamper=None):
        from pipelines.lib.yahoo import SampleYahooClient

        self.inner, self.tamper = SampleYahooClient(), tamper

    def fetch_chart(self, symbol, start, end):
        import json

        payload = self.inner.fetch_chart(symbol, start, end)
        if self.tamper:
            doc = json.loads(payload.body)
            self.tamper(doc["chart"]["result"][0])
            payload.body = json.dumps(doc).encode()
        return payload


def _shift(result, seconds):
    result["timestamp"] = [t + seconds for t in result["timestamp"]]


def _scale_last(result, factor):
    result["indicators"]["quote"][0]["close"][-1] *= factor
    result["indicators"]["adjclose"][0]["adjclose"][-1] *= factor


def _cut_last(result, n):
    result["timestamp"] = result["timestamp"][:-n]
    quote = result["indicators"]["quote"][0]
    for key in quote:
        quote[key] = quote[key][:-n]
    result["indicators"]["adjclose"][0]["adjclose"] = result["indicators"]["adjclose"][0]["adjclose"][:-n]


@pytest.mark.parametrize(
    "case, tamper, problem",
    [
        ("mislabelled", lambda r: r["meta"].update(symbol="AMD"), "is about 'AMD', not the symbol asked"),
        ("time-shifted", lambda r: _shift(r, 86_400), "bar(s) fall on days XNYS does not trade"),
        ("wrong time zone", lambda r: r["meta"].update(exchangeTimezoneName="Asia/Tokyo"), "time zone is 'Asia/Tokyo'"),
        ("100x close", lambda r: _scale_last(r, 100), "beyond the 5x bound"),
        ("cut short", lambda r: _cut_last(r, 20), "would remove sessions already held"),
    ],
)
def test_a_wrong_chart_is_refused_and_the_stored_history_stays(home, monkeypatch, case, tamper, problem):
    """Asked NVDA: a chart labelled AMD; bars shifted by a day (Fridays land on Saturdays); another exchange's time
    zone; a close 100x the session before's; a whole-history answer that ends 20 sessions early. Each is refused,
    naming the symbol and the problem, and the stored bars stay as they were."""
    # a start before the sample's first session: each answer is for the whole history (cut short matters there; an
    # incremental answer that lacks overlap days removes nothing)
    monkeypatch.setenv("CHIPWATCH_START_DATE", "2020-06-01" if case == "cut short" else "2021-01-01")
    settings = load_settings("sample")
    first = yahoo_landing.land_prices(settings, TamperedCharts(), ["NVDA"], today=date(2025, 10, 30))
    assert first.results[0].ok
    path = yahoo_landing.bars_path(settings, "NVDA")
    before = path.read_bytes()
    report = yahoo_landing.land_prices(settings, TamperedCharts(tamper), ["NVDA"], today=date(2025, 10, 31))
    result = report.results[0]
    assert not result.ok and result.error.startswith("yahoo NVDA") and problem in result.error, result.error
    assert path.read_bytes() == before


def test_bars_the_upstream_withdrew_go_when_the_whole_history_is_asked_again(home, monkeypatch):
    """A listing whose stored history starts after the configured start is asked for its whole history each time;
    a bar stored by an earlier, wrong answer (a Saturday) and absent from the corrected answer is removed."""
    monkeypatch.setenv("CHIPWATCH_START_DATE", "2020-06-01")  # before the sample's first session: always whole
    settings = load_settings("sample")
    yahoo_landing.land_prices(settings, TamperedCharts(), ["NVDA"], today=date(2025, 10, 31))
    path = yahoo_landing.bars_path(settings, "NVDA")
    table = pq.read_table(path)
    bogus = table.slice(table.num_rows - 1, 1).to_pylist()[0]
    bogus["trade_date"] = date(2025, 10, 25)  # a Saturday
    stored = table.cast(yahoo_landing.BARS_SCHEMA)
    landing.write_parquet(path, pa.concat_tables([stored, pa.Table.from_pylist([bogus], schema=stored.schema)]))
    assert date(2025, 10, 25) in pq.read_table(path)["trade_date"].to_pylist()
    again = yahoo_landing.land_prices(settings, TamperedCharts(), ["NVDA"], today=date(2025, 10, 31))
    assert again.results[0].ok
    days = pq.read_table(path)["trade_date"].to_pylist()
    assert date(2025, 10, 25) not in days
    assert days == table["trade_date"].to_pylist()
