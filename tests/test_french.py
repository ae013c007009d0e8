"""Kenneth French's daily factor files: the live client against the replay server (the library's own zips, as
downloaded), landing (both Parquet snapshots, the raw zip kept), hostile answers (each a ParseError naming the problem,
the last good snapshot untouched) and the bundled SYNTHETIC sample (the stand-in server's answer in a lone clone)."""

import csv
import gzip
import io
import json
import re
import zipfile
from datetime import date, datetime
from zoneinfo import ZoneInfo

import exchange_calendars as xc
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipelines.lib import french, french_landing
from pipelines.lib.config import load_settings
from pipelines.lib.errors import ChipwatchError, ParseError
from pipelines.lib.http import make_session
from pipelines.lib.landing import Payload

from .conftest import REPLAY_FRENCH, ROOT, SERVED_FRENCH, sample_generator

FACTORS_ZIP = "F-F_Research_Data_Factors_daily_CSV.zip"
MOMENTUM_ZIP = "F-F_Momentum_Factor_daily_CSV.zip"
FTP = "/pages/faculty/ken.french/ftp/"
# the contract the dbt sources read (dbt_project/models/staging/french/_french__sources.yml), written out here
FACTORS_SCHEMA = pa.schema(
    [
        ("trade_date", pa.date32()),
        ("mkt_rf_pct", pa.float64()),
        ("smb_pct", pa.float64()),
        ("hml_pct", pa.float64()),
        ("rf_pct", pa.float64()),
        ("file_vintage", pa.string()),
    ]
)
MOMENTUM_SCHEMA = pa.schema([("trade_date", pa.date32()), ("mom_pct", pa.float64()), ("file_vintage", pa.string())])
DATA_ROW = re.compile(r"^\d{8},", re.MULTILINE)


def client(replay, retries=1):
    return french.FrenchClient(replay.url, make_session(retries=retries, backoff=0.01), timeout=5)


def csv_text(zip_bytes: bytes) -> str:
    """The one CSV inside one of the library's zips, read without the project's parser."""
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as archive:
        (name,) = archive.namelist()
        return archive.read(name).decode("ascii")


def served(zip_name: str) -> bytes:
    """The zip the running server answers with (the recorded one, or the bundled sample's in a lone clone)."""
    return (SERVED_FRENCH / zip_name).read_bytes()


def rezip(text: str, member: str = "F-F_Research_Data_Factors_daily.csv", *more: tuple[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, text)
        for name, body in more:
            archive.writestr(name, body)
    return buffer.getvalue()


def edited_factors(edit) -> bytes:
    """The served FF3 file with its lines edited by `edit(lines, first data line index)`, zipped again."""
    lines = csv_text(served(FACTORS_ZIP)).split("\r\n")
    edit(lines, next(i for i, line in enumerate(lines) if DATA_ROW.match(line)))
    return rezip("\r\n".join(lines))


def by_day(parsed) -> dict:
    return {r["trade_date"]: r for r in parsed.rows}


# -- the real files, through the live client ---------------------------------------------------------------------


@pytest.mark.real_data
def test_the_live_client_fetches_the_published_research_factors_and_parses_every_day(replay):
    payload = client(replay).fetch_factors()
    assert [r["path"] for r in replay.log()] == [FTP + FACTORS_ZIP]
    assert payload.body == (REPLAY_FRENCH / FACTORS_ZIP).read_bytes() and payload.item == FACTORS_ZIP
    parsed = french.parse_factors(payload.body, payload.status)
    text = csv_text(payload.body)
    assert len(parsed.rows) == len(DATA_ROW.findall(text)) == 26110
    assert (parsed.first_date, parsed.last_date) == (date(1926, 7, 1), date(2025, 10, 31))
    assert parsed.vintage == "202510" and {r["file_vintage"] for r in parsed.rows} == {"202510"}
    days = by_day(parsed)
    # PROVENANCE.md: the same in every vintage
    assert days[date(2020, 3, 16)]["mkt_rf_pct"] == -12.01
    assert days[date(2025, 4, 4)]["mkt_rf_pct"] == -5.92
    assert days[date(2025, 4, 9)]["mkt_rf_pct"] == 9.65
    assert days[date(1926, 7, 1)] == {
        "trade_date": date(1926, 7, 1),
        "mkt_rf_pct": 0.09,
        "smb_pct": -0.25,
        "hml_pct": -0.27,
        "rf_pct": 0.01,
        "file_vintage": "202510",
    }
    assert days[date(2025, 10, 31)] | {"file_vintage": None} == {
        "trade_date": date(2025, 10, 31),
        "mkt_rf_pct": 0.40,
        "smb_pct": 0.10,
        "hml_pct": -0.24,
        "rf_pct": 0.02,
        "file_vintage": None,
    }
    assert parsed.missing == {}
    assert date(2025, 4, 5) not in days  # a Saturday: trading days only


@pytest.mark.real_data
def test_the_live_client_fetches_the_published_momentum_factor_and_parses_every_day(replay):
    payload = client(replay).fetch_momentum()
    assert [r["path"] for r in replay.log()] == [FTP + MOMENTUM_ZIP]
    parsed = french.parse_momentum(payload.body, payload.status)
    text = csv_text(payload.body)
    assert len(parsed.rows) == len(DATA_ROW.findall(text)) == 26009
    assert (parsed.first_date, parsed.last_date) == (date(1926, 11, 3), date(2025, 10, 31))
    assert parsed.vintage == "202510"
    days = by_day(parsed)
    assert (days[date(1926, 11, 3)]["mom_pct"], days[date(1926, 11, 4)]["mom_pct"]) == (0.54, -0.51)
    assert (days[date(2025, 10, 30)]["mom_pct"], days[date(2025, 10, 31)]["mom_pct"]) == (-0.03, -0.51)
    # the file's own rows, read independently: every date and value carried over
    recorded = {line[:8]: float(line.split(",")[1]) for line in text.split("\r\n") if DATA_ROW.match(line)}
    assert {d.strftime("%Y%m%d"): r["mom_pct"] for d, r in days.items()} == recorded


# -- landing -------------------------------------------------------------------------------------------------------


def test_landing_writes_both_snapshots_in_the_contract_schema_and_keeps_the_zips_as_received(home, replay, monkeypatch):
    monkeypatch.setenv("CHIPWATCH_FRENCH_URL", replay.url)
    settings = load_settings("live")
    live = french.FrenchClient(settings.french_url, make_session(retries=1, backoff=0.01), timeout=5)
    factors = french_landing.land_factors(settings, live)
    momentum = french_landing.land_momentum(settings, live)
    assert [r["path"] for r in replay.log()] == [FTP + FACTORS_ZIP, FTP + MOMENTUM_ZIP]
    for name, zip_name, schema, parsed in (
        ("factors_daily", FACTORS_ZIP, FACTORS_SCHEMA, factors),
        ("momentum_daily", MOMENTUM_ZIP, MOMENTUM_SCHEMA, momentum),
    ):
        path = settings.parquet_dir / "french" / f"{name}.parquet"
        table = pq.read_table(path)
        assert table.schema.equals(schema), table.schema
        assert table.num_rows == len(DATA_ROW.findall(csv_text(served(zip_name)))) == len(parsed.rows)
        assert table.column("trade_date")[0].as_py() == parsed.first_date
        (body,) = (settings.raw_dir / "french" / zip_name).glob("*.body")
        assert body.read_bytes() == served(zip_name)  # the zip exactly as received
        meta = json.loads(body.with_suffix(".json").read_text())
        assert (meta["url"], meta["status"]) == (replay.url + FTP + zip_name, 200)
    assert french_landing.factors_path(settings) == settings.parquet_dir / "french" / "factors_daily.parquet"


def test_the_ingest_job_lands_both_datasets_and_records_each_attempt(home, replay, monkeypatch):
    import dagster as dg

    from pipelines.definitions import build_definitions
    from pipelines.lib import refreshes

    def run(settings, refresh_id):
        job = build_definitions(settings, with_build=False).resolve_job_def("ingest_french")
        result = job.execute_in_process(
            instance=dg.DagsterInstance.ephemeral(), raise_on_error=False, tags={"chipwatch/refresh_id": refresh_id}
        )
        materialized = {
            e.event_specific_data.materialization.asset_key.to_user_string(): {
                k: v.value for k, v in e.event_specific_data.materialization.metadata.items()
            }
            for e in result.get_asset_materialization_events()
        }
        return materialized, {r["dataset"]: r for r in refreshes.read(settings, refresh_id)}

    sample = load_settings("sample")
    materialized, attempts = run(sample, "20250101T000000Z-000001")
    assert set(attempts) == {"factors_daily", "momentum_daily"}
    assert all(a["source"] == "french" and a["landed"] and a["rows_stored"] == 1191 for a in attempts.values())
    assert materialized["french_factors_daily"]["last_date"] == "2025-09-30"
    assert materialized["french_momentum_daily"]["file_vintage"] == "202509"
    assert pq.read_table(french_landing.momentum_path(sample)).num_rows == 1191
    # live, with the factors file failing: that dataset's attempt fails naming its item; momentum lands
    monkeypatch.setenv("CHIPWATCH_FRENCH_URL", replay.url)
    monkeypatch.setenv("CHIPWATCH_HTTP_RETRIES", "0")
    replay.control(garble=["Factors_daily:html"])
    materialized, attempts = run(load_settings("live"), "20250101T000000Z-000002")
    assert set(materialized) == {"french_momentum_daily"}
    failed = attempts["factors_daily"]
    assert not failed["landed"] and failed["failed_items"] == "french:factors_daily"
    assert failed["failure_messages"].startswith(f"french {FACTORS_ZIP}: answer is not a zip file")
    assert attempts["momentum_daily"]["landed"]


# -- hostile answers -----------------------------------------------------------------------------------------------


def swap_first_two(lines, at):
    lines[at], lines[at + 1] = lines[at + 1], lines[at]


def set_cell(line_offset, column, value):
    def edit(lines, at):
        cells = lines[at + line_offset].split(",")
        cells[column] = value
        lines[at + line_offset] = ",".join(cells)

    return edit


def other_csv() -> bytes:
    """The momentum file's CSV, or (where recorded) the five-factor file's, in a zip of its own name."""
    five = REPLAY_FRENCH / "F-F_Research_Data_5_Factors_2x3_daily_CSV.zip"
    return five.read_bytes() if five.exists() else served(MOMENTUM_ZIP)


HOSTILE = {  # name -> (body, what the error must say)
    "html page": (lambda: b"<!DOCTYPE html><html><body>Please enable JavaScript</body></html>", "not a zip file"),
    "cut in half": (lambda: served(FACTORS_ZIP)[: len(served(FACTORS_ZIP)) // 2], "not a zip file"),
    "empty body": (lambda: b"", "empty body"),
    "another dataset's file": (other_csv, "an answer about another dataset is refused"),
    "the momentum file": (lambda: served(MOMENTUM_ZIP), "holds 'F-F_Momentum_Factor_daily.csv', not exactly"),
    "a second file inside": (
        lambda: rezip(csv_text(served(FACTORS_ZIP)), "F-F_Research_Data_Factors_daily.csv", ("readme.txt", "hello")),
        "an answer about another dataset is refused",
    ),
    "another dataset's CSV under this name": (
        lambda: rezip(csv_text(served(MOMENTUM_ZIP))),
        r"header row ',Mom', expected ',Mkt-RF,SMB,HML,RF' "
        r"\(missing column 'Mkt-RF'.*unexpected column 'Mom'\)",
    ),
    "a missing column": (
        lambda: edited_factors(lambda lines, at: lines.__setitem__(at - 1, ",Mkt-RF,SMB,RF")),
        "missing column 'HML'",
    ),
    "a renamed column": (
        lambda: edited_factors(lambda lines, at: lines.__setitem__(at - 1, ",Mkt-RF,SMB,HML,Rf")),
        "missing column 'RF'; unexpected column 'Rf'",
    ),
    "columns out of order": (
        lambda: edited_factors(lambda lines, at: lines.__setitem__(at - 1, ",SMB,Mkt-RF,HML,RF")),
        "columns out of order",
    ),
    "no header row": (
        lambda: edited_factors(lambda lines, at: lines.__setitem__(at - 1, "Mkt-RF,SMB,HML,RF")),
        "no header row",
    ),
    "a row with a cell missing": (
        lambda: edited_factors(lambda lines, at: lines.__setitem__(at + 2, lines[at + 2].rsplit(",", 1)[0])),
        "has 4 cells, the header 5",
    ),
    "an impossible date": (
        lambda: edited_factors(set_cell(1, 0, "20250230")),
        "'20250230' is not a valid YYYYMMDD date",
    ),
    "a date of 7 digits": (lambda: edited_factors(set_cell(0, 0, "2021014")), "'2021014' is not a valid YYYYMMDD"),
    "an ISO date": (lambda: edited_factors(set_cell(0, 0, "2021-01-04")), "is not a valid YYYYMMDD date"),
    "dates out of order": (lambda: edited_factors(swap_first_two), r"comes before .* \(dates must be strictly"),
    "a repeated date": (
        lambda: edited_factors(lambda lines, at: lines.insert(at + 1, lines[at])),
        "repeats the day before it",
    ),
    "NaN": (lambda: edited_factors(set_cell(3, 2, "NaN")), r"SMB on .* is 'NaN', not a finite number"),
    "infinity": (lambda: edited_factors(set_cell(3, 1, "-inf")), "not a finite number"),
    "an overflowing number": (lambda: edited_factors(set_cell(3, 1, "1e999")), "not a finite number"),
    "text in a cell": (lambda: edited_factors(set_cell(3, 3, " n/a")), "HML on .* is 'n/a', not a number"),
    "an empty cell": (lambda: edited_factors(set_cell(3, 4, "   ")), "RF on .* is '', not a number"),
    "an implausible value": (
        lambda: edited_factors(set_cell(5, 2, "  150.00")),
        r"line \d+: SMB on \d{4}-\d\d-\d\d is 150 percent, implausible for one day",
    ),
    "a data row before the header": (
        lambda: edited_factors(lambda lines, at: lines.insert(0, lines[at])),
        "a data row before the header row",
    ),
    "no data rows": (lambda: edited_factors(lambda lines, at: lines.insert(at, "")), "a header row but no data rows"),
}


@pytest.mark.parametrize("kind", HOSTILE)
def test_a_hostile_answer_is_a_parse_error_naming_the_problem_and_the_last_good_snapshot_stays(kind, home):
    make_body, problem = HOSTILE[kind]
    body = make_body()
    with pytest.raises(ParseError, match=problem) as err:
        french.parse_factors(body)
    assert str(err.value).startswith(f"french {FACTORS_ZIP}: ")

    class Hostile:
        def fetch_factors(self):
            return Payload("french", FACTORS_ZIP, "http://test" + FTP + FACTORS_ZIP, {}, 200, body)

    settings = load_settings("sample")
    french_landing.land_factors(settings, french.SampleFrenchClient())
    snapshot = french_landing.factors_path(settings).read_bytes()
    with pytest.raises(ParseError, match=problem):
        french_landing.land_factors(settings, Hostile())
    assert french_landing.factors_path(settings).read_bytes() == snapshot
    kept = sorted((settings.raw_dir / "french" / FACTORS_ZIP).glob("*.body"))
    assert len(kept) == 2 and kept[-1].read_bytes() == body  # the hostile answer is kept, as received


def test_the_momentum_parser_is_as_strict():
    text = csv_text(served(MOMENTUM_ZIP))
    with pytest.raises(
        ParseError, match="french F-F_Momentum_Factor_daily_CSV.zip: .*not exactly 'F-F_Momentum_Factor_daily.csv'"
    ):
        french.parse_momentum(served(FACTORS_ZIP))
    renamed = rezip(text.replace("\r\n,Mom", "\r\n,MOM", 1), "F-F_Momentum_Factor_daily.csv")
    with pytest.raises(ParseError, match="missing column 'Mom'; unexpected column 'MOM'"):
        french.parse_momentum(renamed)
    # a header cell with trailing spaces (as some of the library's vintages write ",Mom   ") is the same column
    spaced = rezip(text.replace("\r\n,Mom", "\r\n,Mom   ", 1), "F-F_Momentum_Factor_daily.csv")
    assert len(french.parse_momentum(spaced).rows) == len(DATA_ROW.findall(text))


@pytest.mark.parametrize(
    "kind, problem", [("html", "not a zip file"), ("truncated", "not a zip file"), ("empty", "empty body")]
)
def test_a_garbled_answer_from_the_server_fails_clearly(replay, kind, problem):
    replay.control(garble=[f"Factors_daily:{kind}"])
    payload = client(replay).fetch_factors()
    with pytest.raises(ParseError, match=problem):
        french.parse_factors(payload.body, payload.status)


def test_an_error_status_or_a_service_down_keeps_the_last_good_snapshot(home, replay, monkeypatch):
    monkeypatch.setenv("CHIPWATCH_FRENCH_URL", replay.url)
    settings = load_settings("live")
    french_landing.land_momentum(settings, client(replay))
    snapshot = french_landing.momentum_path(settings).read_bytes()
    replay.control(fail=["Momentum_Factor:404"])
    with pytest.raises(ParseError, match=r"french F-F_Momentum_Factor_daily_CSV.zip \(HTTP 404\): service answered"):
        french_landing.land_momentum(settings, client(replay))
    replay.control(fail=["Momentum_Factor:503"])
    with pytest.raises(ChipwatchError, match="french F-F_Momentum_Factor_daily_CSV.zip"):
        french_landing.land_momentum(settings, client(replay, retries=0))
    assert french_landing.momentum_path(settings).read_bytes() == snapshot


def test_missing_markers_become_null_and_are_counted():
    def edit(lines, at):
        set_cell(0, 2, "  -99.99")(lines, at)
        set_cell(1, 3, " -999")(lines, at)
        set_cell(2, 3, "-999.00")(lines, at)

    parsed = french.parse_factors(edited_factors(edit))
    rows = parsed.rows
    assert rows[0]["smb_pct"] is None and rows[0]["mkt_rf_pct"] is not None
    assert rows[1]["hml_pct"] is None and rows[2]["hml_pct"] is None
    assert parsed.missing == {"SMB": 1, "HML": 2}
    assert pa.Table.from_pylist(rows, schema=french.FACTORS_SCHEMA).column("hml_pct").null_count == 2


def test_reading_stops_at_the_end_of_the_daily_table():
    clean = french.parse_factors(served(FACTORS_ZIP))

    # what follows the blank line (an annual table, say, in another shape) is not read
    def annual_after(lines, at):
        end = lines.index("", at)
        lines[end:end] = [
            "",
            " Annual Factors: January-December ",
            ",Mkt-RF,SMB,HML,RF",
            "1927,   29.47,  -2.46",
            "not a number,,,,",
        ]

    parsed = french.parse_factors(edited_factors(annual_after))
    assert parsed.rows == clean.rows

    # and a file without the library's vintage line parses, with a null vintage
    def no_vintage(lines, at):
        lines[:] = [line for line in lines if "CRSP database" not in line]

    parsed = french.parse_factors(edited_factors(no_vintage))
    assert parsed.vintage is None and {r["file_vintage"] for r in parsed.rows} == {None}
    assert len(parsed.rows) == len(clean.rows)


# -- the bundled sample --------------------------------------------------------------------------------------------


def test_the_bundled_sample_is_synthetic_in_the_librarys_shape_and_ends_before_the_prices():
    sample = french.SampleFrenchClient()
    factors, momentum = sample.fetch_factors(), sample.fetch_momentum()
    for payload, zip_name in ((factors, FACTORS_ZIP), (momentum, MOMENTUM_ZIP)):
        text = csv_text(payload.body)
        assert text.startswith("This file is a SYNTHETIC chipwatch sample") and "\r\n" in text
        assert payload.item == zip_name and payload.url == f"sample://french{FTP}{zip_name}"
    parsed_factors = french.parse_factors(factors.body)
    parsed_momentum = french.parse_momentum(momentum.body)
    sessions = [d.date() for d in xc.get_calendar("XNYS").sessions_in_range("2021-01-04", "2025-09-30")]
    for parsed in (parsed_factors, parsed_momentum):
        assert [r["trade_date"] for r in parsed.rows] == sessions  # every NYSE session, to 2025-09-30
        assert parsed.last_date == date(2025, 9, 30) and parsed.vintage == "202509" and parsed.missing == {}
    assert {r["rf_pct"] for r in parsed_factors.rows} == {0.01}
    # the factors stop a month before the sample prices do: the library's lag
    gspc = json.loads(gzip.decompress((ROOT / "pipelines" / "sample" / "yahoo" / "_GSPC.json.gz").read_bytes()))
    result = gspc["chart"]["result"][0]
    last_price_day = datetime.fromtimestamp(result["timestamp"][-1], ZoneInfo("America/New_York")).date()
    assert last_price_day == date(2025, 10, 31) > parsed_factors.last_date
    # Mkt-RF + RF is the sample's ^GSPC daily return in percent (the prices are rounded to 4 decimals, the factors to 2)
    adj = result["indicators"]["adjclose"][0]["adjclose"]
    market = [r["mkt_rf_pct"] + r["rf_pct"] for r in parsed_factors.rows]
    returns = [100 * (adj[i] / adj[i - 1] - 1) for i in range(1, len(market))]
    assert max(abs(m - r) for m, r in zip(market[1:], returns)) < 0.006
    smb = [r["smb_pct"] for r in parsed_factors.rows]
    assert 0.4 < (sum(x * x for x in smb) / len(smb)) ** 0.5 < 0.6  # sd ~0.5 percent


def test_the_bundled_zips_are_what_the_generator_writes_byte_for_byte(tmp_path, monkeypatch):
    """Regenerating gives the same bytes (fixed member time stamp, no file-system metadata), from the same ^GSPC
    returns the sample prices are made of."""
    make_sample = sample_generator()
    monkeypatch.setattr(make_sample, "FRENCH_OUT", tmp_path)
    monkeypatch.setattr(make_sample, "ROOT", tmp_path)
    listings = list(csv.DictReader(make_sample.LISTINGS.open()))
    sessions = {
        code: xc.get_calendar(code).sessions_in_range(make_sample.START, make_sample.END) for code in make_sample.TZ
    }
    bench = make_sample.benchmark_returns(np.random.default_rng(make_sample.SEED), listings, sessions)
    make_sample.write_french(sessions["XNYS"], bench["^GSPC"])
    assert sorted(p.name for p in tmp_path.iterdir()) == [MOMENTUM_ZIP, FACTORS_ZIP]
    for zip_name in (FACTORS_ZIP, MOMENTUM_ZIP):
        assert (tmp_path / zip_name).read_bytes() == (french.SAMPLE_DIR / zip_name).read_bytes(), zip_name
