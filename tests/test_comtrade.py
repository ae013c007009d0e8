"""UN Comtrade v1: the preview cap and splitting, the keyed endpoint, bad answers, last good rows, and the key never
leaving the process. Against the replay server (real recorded records in the v1 shape)."""

import csv
import json
from collections import Counter
from datetime import date

import pyarrow.parquet as pq
import pycountry
import pytest
import requests

from pipelines.lib import comtrade, comtrade_landing, countries
from pipelines.lib.config import load_settings
from pipelines.lib.errors import ChipwatchError, FetchError, ParseError
from pipelines.lib.http import make_session

from .conftest import served_trade_records

EXPORTS_2013_2018 = comtrade.Query(
    "exports_to_world", "A", "X", (), (0,), ("8542",), tuple(str(y) for y in range(2013, 2019))
)


def client(replay, key=None, retries=1):
    return comtrade.ComtradeClient(
        replay.url, make_session(retries=retries, backoff=0.01), timeout=5, api_key=key or ""
    )


@pytest.fixture
def settings(home, replay, monkeypatch):
    monkeypatch.setenv("CHIPWATCH_COMTRADE_URL", replay.url)
    return load_settings("live")


def recorded(pred):
    """The records the server answers from: the recorded ones (the bundled sample's in a lone clone)."""
    return [r for r in served_trade_records() if pred(r)]


@pytest.mark.real_data  # the recorded years answer more than the cap; the bundled sample's fewer
def test_an_answer_at_the_preview_cap_is_split_until_complete(settings, replay):
    rows = comtrade_landing.fetch_query(settings, client(replay), EXPORTS_2013_2018)
    expected = recorded(
        lambda r: (
            r["freqCode"] == "A"
            and r["flowCode"] == "X"
            and r["partnerCode"] == 0
            and r["partner2Code"] == 0
            and 2013 <= int(r["period"]) <= 2018
        )
    )
    assert len(expected) > comtrade.PREVIEW_CAP  # the first answer is cut at 500
    assert sorted((r["reporter_code"], r["period"]) for r in rows) == sorted(
        (r["reporterCode"], r["period"]) for r in expected
    )
    asked = [r["query"]["period"] for r in replay.log()]
    assert asked[0] == ",".join(EXPORTS_2013_2018.periods) and len(asked) > 1
    assert all(r["path"] == "/public/v1/preview/C/A/HS" for r in replay.log())


def test_a_capped_answer_that_cannot_be_split_is_an_error_not_a_result(settings, replay):
    small = client(replay)
    small.cap = 5  # one year of every reporter's exports is far above 5 records
    one = comtrade.Query("exports_to_world", "A", "X", (), (0,), ("8542",), ("2020",))
    with pytest.raises(ParseError, match="cannot be split further"):
        comtrade_landing.fetch_query(settings, small, one)


@pytest.mark.real_data  # the bundled sample has no second-partner rows
def test_only_partner2_zero_rows_are_kept():
    query = comtrade.Query("china_imports", "A", "M", (156,), (842,), ("8542",), ("2016",))
    data = recorded(
        lambda r: (
            r["reporterCode"] == 156
            and r["period"] == "2016"
            and r["flowCode"] == "M"
            and r["partnerCode"] == 842
            and r["cmdCode"] == "8542"
        )
    )
    assert {r["partner2Code"] for r in data} != {0}  # the recorded year holds second-partner rows too
    body = json.dumps({"count": len(data), "data": data, "error": ""}).encode()
    rows, records = comtrade.parse_records(query, body, 200)
    assert records == len(data)
    assert [r["primary_value"] for r in rows] == [r["primaryValue"] for r in data if r["partner2Code"] == 0]


def test_a_count_that_disagrees_with_the_data_is_an_error():
    query = comtrade.Query("china_imports", "A", "M", (156,), (842,), ("8542",), ("2016",))
    body = json.dumps({"count": 3, "data": recorded(lambda r: r["period"] == "2016")[:2], "error": ""}).encode()
    with pytest.raises(ParseError, match="count 3 but holds 2"):
        comtrade.parse_records(query, body, 200)


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity"])
def test_a_value_that_is_not_a_finite_number_is_an_error_naming_the_field(value):
    query = comtrade.Query("china_imports", "A", "M", (156,), (842,), ("8542",), ("2016",))
    data = recorded(lambda r: r["period"] == "2016" and r["partner2Code"] == 0)[:1]
    body = (
        json.dumps({"count": 1, "data": data, "error": ""})
        .encode()
        .replace(f'"primaryValue": {json.dumps(data[0]["primaryValue"])}'.encode(), f'"primaryValue": {value}'.encode())
    )
    assert value.encode() in body  # JSON's non-standard NaN and Infinity, which Python's json reads as floats
    with pytest.raises(ParseError, match="record #0: primaryValue is not a finite number"):
        comtrade.parse_records(query, body, 200)


def test_the_keyed_endpoint_sends_the_key_as_a_header_only(settings, replay):
    query = comtrade.Query("china_imports", "A", "M", (156,), (842,), ("8542",), ("2020", "2021"))
    keyed = client(replay, key="s3cret-key-value")
    assert keyed.cap is None
    payload = keyed.fetch(query)
    rows, _ = comtrade.parse_records(query, payload.body, payload.status)
    assert len(rows) == 2 and replay.log()[0]["path"] == "/data/v1/get/C/A/HS"
    assert "s3cret" not in payload.url + json.dumps(payload.params)


def test_the_keyed_endpoint_without_a_key_is_a_clear_401(replay):
    query = comtrade.Query("china_imports", "A", "M", (156,), (842,), ("8542",), ("2020",))
    resp = requests.get(f"{replay.url}/data/v1/get/C/A/HS", params=query.params(), timeout=5)
    with pytest.raises(FetchError, match=r"china_imports \[A .*\(HTTP 401\): unauthorized"):
        comtrade.parse_records(query, resp.content, resp.status_code)


def test_429_is_retried_and_html_with_200_is_an_error_naming_the_query(settings, replay):
    query = comtrade.Query("china_imports", "A", "M", (156,), (842,), ("8542",), ("2020",))
    replay.control(fail_first="2:429")
    assert len(comtrade_landing.fetch_query(settings, client(replay, retries=3), query)) == 1
    replay.control(garble=["preview:html"])
    with pytest.raises(ParseError, match=r"comtrade china_imports \[A .*not JSON"):
        comtrade_landing.fetch_query(settings, client(replay), query)


def test_a_failed_query_keeps_its_last_good_rows_and_the_others_land(settings, replay):
    queries = comtrade.default_queries(2018, date(2025, 6, 1))
    first = comtrade_landing.land_trade(settings, client(replay), queries)
    assert not first.failures
    before = pq.read_table(comtrade_landing.records_path(settings)).to_pylist()
    replay.control(garble=["flowCode=X:truncated"])  # every exports-to-World query breaks
    second = comtrade_landing.land_trade(settings, client(replay), queries)
    assert second.failures and all(":exports_to_world:" in k for k in second.failures)
    after = pq.read_table(comtrade_landing.records_path(settings)).to_pylist()
    assert sorted(map(str, after)) == sorted(map(str, before))  # nothing lost, nothing doubled


def test_the_key_is_never_written_anywhere(settings, replay, monkeypatch):
    secret = "CHIPWATCH-TEST-KEY-9f3a1c"
    monkeypatch.setenv("COMTRADE_API_KEY", secret)
    live = comtrade.ComtradeClient(replay.url, make_session(retries=1, backoff=0.01), timeout=5)
    replay.control(garble=["period=2018:html"])
    report = comtrade_landing.land_trade(settings, live, comtrade.default_queries(2018, date(2025, 6, 1)))
    assert report.failures  # an error path ran too
    assert secret not in json.dumps(report.failures)
    for path in settings.home.rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), path


def test_the_bundled_sample_answers_every_default_query(settings):
    sample = comtrade.SampleComtradeClient()
    report = comtrade_landing.land_trade(settings, sample, comtrade.default_queries(2010, date(2026, 11, 28)))
    assert not report.failures and report.rows_stored > 1000


# -- Tier-2 sourcing: the Tier-2 countries' imports by partner and the mirror exports to them (issue 16) ------------

TIER2_NAMES = ("tier2_imports", "tier2_mirror_exports")
TODAY = date(2026, 12, 4)
TIER2_YEARS = [str(y) for y in range(2015, 2026)]  # annual from 2015 to the last full year
TIER2_MONTHS = [f"{y}{m:02d}" for y in range(2023, 2027) for m in range(1, 13)][:47]  # 2023-01 .. 2026-11


def tier2_queries(cap=comtrade.PREVIEW_CAP):
    return [
        q for q in comtrade.default_queries(2010, TODAY, countries.tier2_comtrade_codes(), cap) if q.name in TIER2_NAMES
    ]


def cells(query):
    return [
        (query.name, query.freq, r, p, c, period)
        for r in query.reporters
        for p in query.partners
        for c in query.cmds
        for period in query.periods
    ]


def test_tier2_countries_are_every_country_the_tier_list_leaves_in_tier_2():
    with open(countries.TIERS_SEED, newline="") as fh:
        listed = {row["iso3"]: row["tier"] for row in csv.DictReader(fh)}
    codes = countries.tier2_comtrade_codes()
    assert len(codes) == len(pycountry.countries) - len(listed)  # 249 ISO countries less the 19 + 25 listed
    assert {699, 458, 702, 784, 682, 704} <= set(codes)  # India, Malaysia, Singapore, UAE, Saudi Arabia, Vietnam
    assert not {842, 156, 344, 446, 490, 392} & set(codes)  # USA, China, Hong Kong, Macau, Taiwan, Japan


def test_tier2_queries_ask_every_combination_once_and_no_answer_can_reach_the_cap():
    t2 = countries.tier2_comtrade_codes()
    queries = tier2_queries()
    asked = Counter(cell for q in queries for cell in cells(q))
    assert set(asked.values()) == {1}
    expected = {
        (name, freq, r, p, c, period)
        for freq, periods in (("A", TIER2_YEARS), ("M", TIER2_MONTHS))
        for period in periods
        for c in ("8542", "8471", "8473")
        for name, reporters, partners in (
            ("tier2_imports", t2, (0, 156, 344, 842, 490)),
            ("tier2_mirror_exports", (156, 842), t2),
        )
        for r in reporters
        for p in partners
    }
    assert set(asked) == expected
    assert all(len(cells(q)) < comtrade.PREVIEW_CAP for q in queries)  # even a full answer is complete
    # as few requests as answers under the cap allow when a query holds one period (the preview packs no more)
    for name in TIER2_NAMES:
        for freq in "AM":
            group = [q for q in queries if (q.name, q.freq) == (name, freq)]
            per_period = Counter(p for q in group for c in cells(q) for p in [c[-1]])
            assert len(group) == sum(-(-n // (comtrade.PREVIEW_CAP - 1)) for n in per_period.values())


def test_with_a_key_the_tier2_queries_are_limited_only_by_periods_per_request():
    queries = tier2_queries(comtrade.KEYED_CAP)
    for name in TIER2_NAMES:
        assert len([q for q in queries if (q.name, q.freq) == (name, "A")]) == 1  # 11 years <= 12 per request
        assert len([q for q in queries if (q.name, q.freq) == (name, "M")]) == 4  # 47 months, 12 per request


def test_an_incremental_tier2_refresh_asks_only_the_latest_periods_again():
    queries = tier2_queries()
    landed = [
        dict(
            zip(("query_name", "freq_code", "reporter_code", "partner_code", "cmd_code", "period"), cell),
            flow_code=q.flow,
        )
        for q in queries
        for cell in cells(q)
    ]
    pending = comtrade_landing.pending_queries(queries, landed)
    assert {p for q in pending if q.freq == "A" for p in q.periods} == {"2024", "2025"}
    assert {p for q in pending if q.freq == "M" for p in q.periods} == {"202609", "202610", "202611"}
    assert len(pending) < len(queries) / 9  # 50 of 580


def test_the_sample_answers_every_tier2_query_below_the_cap(settings):
    sample = comtrade.SampleComtradeClient()
    calls = []
    rows = [row for q in tier2_queries() for row in comtrade_landing.fetch_query(settings, sample, q, calls)]
    assert len(calls) == len(tier2_queries())  # no answer was cut at the cap, so nothing was asked twice
    reporters = {r["reporter_code"] for r in rows if r["query_name"] == "tier2_imports"}
    assert {699, 458, 682} <= reporters and rows


def test_failed_tier2_queries_are_each_named_and_the_other_queries_land(settings, replay):
    window = comtrade_landing.restrict(
        comtrade.default_queries(2020, date(2025, 6, 1), countries.tier2_comtrade_codes()),
        date(2024, 1, 1),
        date(2024, 2, 28),
    )
    mirror = [q for q in window if q.name == "tier2_mirror_exports"]
    replay.control(garble=["reporterCode=156%2C842:truncated"])  # only the mirror queries ask China and the USA
    report = comtrade_landing.land_trade(settings, client(replay), window, incremental=False)
    assert len(report.failures) == len(mirror) > 2  # one entry per failed query, none overwritten by another
    assert all(k.startswith("comtrade:tier2_mirror_exports:") for k in report.failures)
    assert all("truncated or malformed JSON" in v and "tier2_mirror_exports [" in v for v in report.failures.values())
    imports = [q for q in window if q.name == "tier2_imports"]
    answered = [
        r for r in replay.log() if "8471" in r["query"].get("cmdCode", "") and r["query"]["reporterCode"] != "156,842"
    ]
    assert len(answered) == len(imports) > 2  # the imports queries (Tier-2 reporters) were asked, once each


# -- an answer is checked against what was asked before it replaces anything (issue 30) ------------------------------


class Tampered:
    """The bundled sample's client, its answers to the queries named `name` changed by `tamper(doc)` (count kept
    consistent), as an upstream that answers wrongly would send them."""

    mode, cap = "sample", comtrade.PREVIEW_CAP

    def __init__(self, name: str, tamper):
        self.inner, self.name, self.tamper = comtrade.SampleComtradeClient(), name, tamper

    def fetch(self, query):
        payload = self.inner.fetch(query)
        if query.name == self.name:
            doc = json.loads(payload.body)
            self.tamper(doc)
            doc["count"] = len(doc["data"])
            payload.body = json.dumps(doc).encode()
        return payload


def _stored(settings) -> list[dict]:
    return pq.read_table(comtrade_landing.records_path(settings)).to_pylist()


@pytest.mark.parametrize(
    "case, tamper, problem",
    [
        ("empty", lambda doc: doc["data"].clear(), "holds no record for period"),
        (
            "foreign reporter",
            lambda doc: [r.update(reporterCode=699) for r in doc["data"]],
            "not what was asked: reporter",
        ),
        (
            "duplicated key",
            lambda doc: doc["data"].extend({**r, "primaryValue": 2 * r["primaryValue"]} for r in doc["data"][:1]),
            "have the same key",
        ),
    ],
)
def test_a_wrong_answer_for_periods_already_held_is_refused_and_the_stored_rows_stay(home, case, tamper, problem):
    """An empty answer (count 0) for the re-asked recent periods, an answer about another reporter, and one holding a
    flow twice: each is refused with an error naming the query, and every stored row stays as it was."""
    settings = load_settings("sample")
    queries = [q for q in comtrade.default_queries(2018, date(2025, 6, 1)) if q.name == "china_imports"]
    first = comtrade_landing.land_trade(settings, comtrade.SampleComtradeClient(), queries)
    assert not first.failures and first.rows_stored > 0
    before = _stored(settings)
    try:
        failures = comtrade_landing.land_trade(settings, Tampered("china_imports", tamper), queries).failures
    except ChipwatchError as exc:  # no query landed at all
        failures = {"all": str(exc)}
    assert failures and all(problem in m for m in failures.values()), failures
    assert _stored(settings) == before


def test_an_answer_that_holds_the_re_asked_period_replaces_it_whole(home):
    """The rule's other side: a revision that drops one partner's row of a period still held is taken."""
    settings = load_settings("sample")
    queries = [q for q in comtrade.default_queries(2018, date(2025, 6, 1)) if q.name == "china_imports"]
    comtrade_landing.land_trade(settings, comtrade.SampleComtradeClient(), queries)
    before = _stored(settings)
    last = max(r["period"] for r in before if r["freq_code"] == "A")
    dropped = next(r for r in before if r["period"] == last and r["freq_code"] == "A")

    def drop_one(doc):
        doc["data"][:] = [
            r
            for r in doc["data"]
            if not (
                r["period"] == last
                and r["partnerCode"] == dropped["partner_code"]
                and r["cmdCode"] == dropped["cmd_code"]
            )
        ]

    report = comtrade_landing.land_trade(settings, Tampered("china_imports", drop_one), queries)
    assert not report.failures
    assert len(_stored(settings)) == len(before) - 1
