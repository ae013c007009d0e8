"""The Yahoo client and parser, on the service's real response shapes (served by the replay server)."""

import json
from datetime import date

import pytest

from pipelines.lib.errors import ChipwatchError, FetchError, ParseError
from pipelines.lib.http import make_session
from pipelines.lib.yahoo import SampleYahooClient, YahooClient, parse_chart

from .conftest import replay_csv_rows as replay_csv


def client(replay, retries=2, timeout=5.0):
    return YahooClient(replay.url, make_session(retries=retries, backoff=0.01), timeout=timeout)


@pytest.mark.real_data
def test_parses_a_real_chart_into_exchange_local_dates(replay):
    payload = client(replay).fetch_chart("NVDA", date(2025, 1, 21), date(2025, 1, 31))
    chart = parse_chart("NVDA", payload.body, payload.status)
    recorded = replay_csv("NVDA")
    assert [r["trade_date"].isoformat() for r in chart.rows] == sorted(
        d for d in recorded if "2025-01-21" <= d <= "2025-01-31"
    )
    deepseek = next(r for r in chart.rows if r["trade_date"] == date(2025, 1, 27))
    assert deepseek["close"] == pytest.approx(float(recorded["2025-01-27"]["close"]))
    assert deepseek["adj_close"] == pytest.approx(float(recorded["2025-01-27"]["adjclose"]))
    assert chart.currency == "USD" and chart.exchange_timezone == "America/New_York"


def test_shanghai_bars_keep_their_local_date_across_golden_week(replay):
    payload = client(replay).fetch_chart("688981.SS", date(2022, 9, 28), date(2022, 10, 12))
    days = [r["trade_date"] for r in parse_chart("688981.SS", payload.body, payload.status).rows]
    assert date(2022, 9, 30) in days and date(2022, 10, 10) in days
    assert not any(date(2022, 10, 1) <= d <= date(2022, 10, 7) for d in days)


def test_empty_range_has_no_timestamp_key_and_gives_no_rows(replay):
    payload = client(replay).fetch_chart("NVDA", date(2030, 1, 1), date(2030, 1, 31))
    assert "timestamp" not in json.loads(payload.body)["chart"]["result"][0]
    assert parse_chart("NVDA", payload.body, payload.status).rows == []


def test_unknown_symbol_is_a_clear_error_naming_it(replay):
    symbol = "XXXX"  # in no data set, recorded or bundled
    payload = client(replay).fetch_chart(symbol, date(2024, 1, 1), date(2024, 1, 31))
    assert payload.status == 404
    with pytest.raises(FetchError) as err:
        parse_chart(symbol, payload.body, payload.status)
    assert symbol in str(err.value) and "404" in str(err.value) and "unknown symbol" in str(err.value)


@pytest.mark.real_data
def test_the_hang_seng_index_is_served_in_hong_kong_dates(replay):
    """Hong Kong's benchmark (^HSI, recorded 2021-01-04 .. 2025-12-31): every recorded session, in HKT dates."""
    payload = client(replay).fetch_chart("^HSI", date(2025, 12, 1), date(2025, 12, 31))
    chart = parse_chart("^HSI", payload.body, payload.status)
    recorded = replay_csv("^HSI")
    assert [r["trade_date"].isoformat() for r in chart.rows] == sorted(d for d in recorded if d >= "2025-12-01")
    assert chart.rows[-1]["trade_date"] == date(2025, 12, 31)
    assert [r["close"] for r in chart.rows] == pytest.approx(
        [float(recorded[d]["close"]) for d in sorted(recorded) if d >= "2025-12-01"]
    )
    assert chart.currency == "HKD" and chart.exchange_timezone == "Asia/Hong_Kong"


@pytest.mark.parametrize(
    "kind, problem",
    [
        ("truncated", "truncated or malformed JSON"),
        ("html", "not JSON"),
        ("empty", "empty body"),
        ("nulls", "close is null"),
        ("negative", "non-positive close"),
        ("duplicate", "duplicate date"),
    ],
)
def test_bad_payloads_raise_errors_naming_symbol_and_problem(replay, kind, problem):
    replay.control(garble=[f"NVDA:{kind}"])
    payload = client(replay).fetch_chart("NVDA", date(2024, 1, 1), date(2024, 3, 31))
    with pytest.raises(ParseError) as err:
        parse_chart("NVDA", payload.body, payload.status)
    assert str(err.value).startswith("yahoo NVDA") and problem in str(err.value)


@pytest.mark.parametrize("field", ["close", "volume"])
def test_an_overflowing_number_is_an_error_not_infinity(replay, field):
    """JSON's 1e999 reads as float('inf'): a close of inf passed the NaN check (the property test found it), and a
    volume of inf raised a bare OverflowError."""
    payload = client(replay).fetch_chart("AMD", date(2024, 1, 2), date(2024, 1, 12))
    doc = json.loads(payload.body)
    doc["chart"]["result"][0]["indicators"]["quote"][0][field][1] = 987654.125
    body = json.dumps(doc).encode().replace(b"987654.125", b"1e999")
    assert json.loads(body)["chart"]["result"][0]["indicators"]["quote"][0][field][1] == float("inf")
    with pytest.raises(ParseError, match=f"{field} is not a finite number|bad volume"):
        parse_chart("AMD", body)


def test_a_bar_with_every_price_null_is_a_placeholder_and_dropped(replay):
    payload = client(replay).fetch_chart("AMD", date(2024, 1, 2), date(2024, 1, 12))
    doc = json.loads(payload.body)
    quote = doc["chart"]["result"][0]["indicators"]["quote"][0]
    for key in ("open", "high", "low", "close"):
        quote[key][2] = None
    doc["chart"]["result"][0]["indicators"]["adjclose"][0]["adjclose"][2] = None
    chart = parse_chart("AMD", json.dumps(doc).encode())
    assert chart.dropped_empty_bars == 1
    assert len(chart.rows) == len(doc["chart"]["result"][0]["timestamp"]) - 1


def test_retries_503_and_429_then_lands(replay):
    for status in (503, 429):
        replay.control(fail_first=f"2:{status}")
        replay.clear_log()
        payload = client(replay, retries=3).fetch_chart("MU", date(2024, 1, 2), date(2024, 1, 5))
        assert payload.status == 200
        assert len([r for r in replay.log() if "/MU" in r["path"]]) == 3


def test_permanent_500_gives_up_with_source_symbol_and_status(replay):
    replay.control(fail=["chart/INTC:500"])
    payload = client(replay, retries=1).fetch_chart("INTC", date(2024, 1, 2), date(2024, 1, 5))
    with pytest.raises(ChipwatchError) as err:
        parse_chart("INTC", payload.body, payload.status)
    assert "yahoo INTC (HTTP 500)" in str(err.value)


def test_a_slow_answer_times_out_with_a_clear_error(replay):
    replay.control(slow=["chart/KLAC:2"])
    with pytest.raises(FetchError) as err:
        client(replay, retries=0, timeout=0.3).fetch_chart("KLAC", date(2024, 1, 2), date(2024, 1, 5))
    assert "yahoo KLAC" in str(err.value) and "timed out" in str(err.value)


@pytest.mark.parametrize("bad", ["../etc/passwd", "NVDA;DROP", "A" * 30, "NV\x00DA", "", "a b"])
def test_hostile_symbols_are_refused_before_any_request(replay, bad):
    with pytest.raises(ChipwatchError):
        client(replay).fetch_chart(bad, date(2024, 1, 2), date(2024, 1, 5))
    assert replay.log() == []


def test_the_bundled_sample_goes_through_the_same_parser_and_filters_by_period():
    payload = SampleYahooClient().fetch_chart("NVDA", date(2024, 6, 3), date(2024, 6, 7))
    chart = parse_chart("NVDA", payload.body, payload.status)
    assert [r["trade_date"] for r in chart.rows] == [date(2024, 6, d) for d in range(3, 8)]
    assert json.loads(payload.body)["chart"]["result"][0]["meta"]["chipwatchSample"].startswith("SYNTHETIC")


def test_an_error_status_with_a_non_chart_body_is_a_fetch_error(replay):
    replay.control(fail=["chart/LRCX:502"])
    payload = client(replay, retries=0).fetch_chart("LRCX", date(2024, 1, 2), date(2024, 1, 5))
    with pytest.raises(FetchError, match=r"yahoo LRCX \(HTTP 502\): service answered with an error"):
        parse_chart("LRCX", payload.body, payload.status)
