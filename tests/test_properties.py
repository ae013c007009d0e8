"""Property-based tests of every parser over mutated real payloads: whatever the bytes, a parser returns valid rows or
raises one of the project's own errors (ChipwatchError) — never another exception. The seeds are what the test server
serves: the replay server's recorded Yahoo chart, Comtrade records, Epoch's hardware CSV and Kenneth French's daily
factors zip, or in a lone clone the stand-in's bundled sample."""

import json
import math

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipelines.lib import comtrade, epoch, french
from pipelines.lib.errors import ChipwatchError
from pipelines.lib.yahoo import chart_params, parse_chart

from .conftest import SERVED_FRENCH, SERVED_HARDWARE, served_trade_records

EXAMPLES = 300
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


@pytest.fixture(scope="module")
def chart_body(replay_server):
    import requests

    params = chart_params(*map(__import__("datetime").date.fromisoformat, ("2025-01-02", "2025-03-31")))
    return requests.get(f"{replay_server.url}/v8/finance/chart/NVDA", params=params, timeout=5).content


def byte_mutation():
    return st.tuples(
        st.sampled_from(["truncate", "flip", "insert", "delete"]), st.floats(0, 1), st.binary(min_size=1, max_size=8)
    )


def mutate_bytes(body: bytes, how) -> bytes:
    kind, where, junk = how
    i = int(where * len(body))
    if kind == "truncate":
        return body[:i]
    if kind == "flip":
        return body[:i] + bytes([body[min(i, len(body) - 1)] ^ 0xFF]) + body[i + 1 :]
    if kind == "insert":
        return body[:i] + junk + body[i:]
    return body[:i] + body[i + len(junk) :]


def check_chart(body: bytes) -> None:
    try:
        chart = parse_chart("NVDA", body, 200)
    except ChipwatchError:
        return
    days = [r["trade_date"] for r in chart.rows]
    assert len(days) == len(set(days))
    for r in chart.rows:
        assert r["close"] > 0 and r["adj_close"] > 0 and math.isfinite(r["close"])


@SETTINGS
@given(how=byte_mutation())
def test_yahoo_parser_on_byte_mutations(chart_body, how):
    check_chart(mutate_bytes(chart_body, how))


@SETTINGS
@given(
    path=st.lists(
        st.sampled_from(
            [
                "chart",
                "result",
                0,
                "indicators",
                "quote",
                "adjclose",
                "timestamp",
                "meta",
                "close",
                "open",
                "volume",
                "adjclose",
                "exchangeTimezoneName",
                5,
                -1,
            ]
        ),
        min_size=1,
        max_size=6,
    ),
    value=JUNK,
    delete=st.booleans(),
)
def test_yahoo_parser_on_structure_mutations(chart_body, path, value, delete):
    doc = json.loads(chart_body)
    node = doc
    for key in path[:-1]:
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            break
    else:
        try:
            if delete:
                del node[path[-1]]
            else:
                node[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            pass
    check_chart(json.dumps(doc, allow_nan=True).encode())


@pytest.fixture(scope="module")
def trade_body():
    data = served_trade_records(limit=40)
    return json.dumps({"count": len(data), "data": data, "error": ""}).encode()


QUERY = comtrade.Query("china_imports", "A", "M", (156,), (842,), ("8542",), ("2020",))


def check_trade(body: bytes) -> None:
    try:
        rows, _ = comtrade.parse_records(QUERY, body, 200)
    except ChipwatchError:
        return
    for r in rows:
        assert r["partner2_code"] == 0 and r["freq_code"] == "A"
        assert r["primary_value"] is None or r["primary_value"] >= 0


@SETTINGS
@given(how=byte_mutation())
def test_comtrade_parser_on_byte_mutations(trade_body, how):
    check_trade(mutate_bytes(trade_body, how))


@SETTINGS
@given(
    index=st.integers(0, 39),
    field=st.sampled_from(sorted(comtrade.RECORD_FIELDS) + ["count", "data"]),
    value=JUNK,
    delete=st.booleans(),
)
@example(index=0, field="motCode", value=float("inf"), delete=False)  # int(inf) raised OverflowError, not ParseError
def test_comtrade_parser_on_structure_mutations(trade_body, index, field, value, delete):
    doc = json.loads(trade_body)
    target = doc if field in ("count", "data") else doc["data"][index]
    if delete:
        target.pop(field, None)
    else:
        target[field] = value
    check_trade(json.dumps(doc, allow_nan=True).encode())


@pytest.fixture(scope="module")
def hardware_body():
    return SERVED_HARDWARE.read_bytes()


def check_hardware(body: bytes) -> None:
    try:
        parsed = epoch.parse_hardware(body)
    except ChipwatchError:
        return
    ids = [r["chip_id"] for r in parsed.rows]
    assert len(ids) == len(set(ids)) and all(ids)
    for r in parsed.rows:
        for column in epoch.NUMBER_COLUMNS.values():
            assert r[column] is None or (math.isfinite(r[column]) and r[column] >= 0)


@SETTINGS
@given(how=byte_mutation())
def test_epoch_parser_on_byte_mutations(hardware_body, how):
    check_hardware(mutate_bytes(hardware_body, how))


@SETTINGS
@given(line=st.integers(0, 170), cell=st.integers(0, 38), value=st.text(max_size=12))
def test_epoch_parser_on_cell_mutations(hardware_body, line, cell, value):
    import csv
    import io

    rows = list(csv.reader(io.StringIO(hardware_body.decode("utf-8-sig"))))
    line %= len(rows)  # a no-op on the recorded file (171 rows), wraps on the bundled sample (16)
    if cell < len(rows[line]):
        rows[line][cell] = value
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    check_hardware(out.getvalue().encode())


@pytest.fixture(scope="module")
def factors_zip():
    return (SERVED_FRENCH / french.FACTORS.zip_name).read_bytes()


@pytest.fixture(scope="module")
def factors_lines(factors_zip):
    """The served FF3 file's lines, its daily table cut to 60 days (the shape whole, each example quick)."""
    import io
    import zipfile

    lines = zipfile.ZipFile(io.BytesIO(factors_zip)).read(french.FACTORS.csv_name).decode("ascii").split("\r\n")
    header = next(i for i, line in enumerate(lines) if line.startswith(","))
    end = lines.index("", header)
    return lines[: header + 61] + lines[end:]


def zipped(text: bytes) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(french.FACTORS.csv_name, text)
    return buffer.getvalue()


def check_factors(body: bytes) -> None:
    try:
        parsed = french.parse_factors(body)
    except ChipwatchError:
        return
    days = [r["trade_date"] for r in parsed.rows]
    assert days and all(a < b for a, b in zip(days, days[1:]))
    for r in parsed.rows:
        assert r["file_vintage"] == parsed.vintage
        for column in french.FACTORS.columns.values():
            assert r[column] is None or (math.isfinite(r[column]) and abs(r[column]) <= 100)


@SETTINGS
@given(how=byte_mutation())
def test_french_parser_on_zip_byte_mutations(factors_zip, how):
    check_factors(mutate_bytes(factors_zip, how))


@SETTINGS
@given(how=byte_mutation())
def test_french_parser_on_csv_byte_mutations(factors_lines, how):
    check_factors(zipped(mutate_bytes("\r\n".join(factors_lines).encode(), how)))


@SETTINGS
@given(
    line=st.integers(0, 80),
    cell=st.integers(0, 4),
    value=st.text(max_size=12),
    how=st.sampled_from(["cell", "delete", "repeat", "insert"]),
)
def test_french_parser_on_line_and_cell_mutations(factors_lines, line, cell, value, how):
    lines = list(factors_lines)
    line %= len(lines)
    if how == "cell":
        cells = lines[line].split(",")
        cells[cell % len(cells)] = value
        lines[line] = ",".join(cells)
    elif how == "delete":
        del lines[line]
    elif how == "repeat":
        lines.insert(line, lines[line])
    else:
        lines.insert(line, value)
    check_factors(zipped("\r\n".join(lines).encode("utf-8")))
