"""Kenneth R. French's Data Library (Tuck School of Business, Dartmouth): the daily Fama-French research factors and
the daily momentum factor. The live client, the bundled sample and the parser (landing:
pipelines/lib/french_landing.py).

GET {base}/pages/faculty/ken.french/ftp/F-F_Research_Data_Factors_daily_CSV.zip   Mkt-RF, SMB, HML, RF
GET {base}/pages/faculty/ken.french/ftp/F-F_Momentum_Factor_daily_CSV.zip         Mom
(base from CHIPWATCH_FRENCH_URL, default https://mba.tuck.dartmouth.edu; the library's published download paths).

Each zip holds one CSV named like the zip without `_CSV.zip`: free-text lines (the first says which CRSP database
the file was built from, "This file was created by using the 202510 CRSP database."), a header row starting with a
comma (",Mkt-RF,SMB,HML,RF"), one row per trading day (`YYYYMMDD,   0.09,  -0.25, ...`, in percent), a blank line
and a copyright line. The parser keeps the library's percent (staging converts), reads the daily table only (it stops
at its first blank line) and is strict: anything that is not exactly that shape fails the whole file with a
ParseError naming the source, the item and the problem. "Missing data are indicated by -99.99 or -999": those become
null and are counted per column.
"""

import csv
import io
import lzma
import math
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pyarrow as pa
import requests

from . import http
from .errors import ParseError
from .landing import Payload

SOURCE = "french"
FTP_PATH = "/pages/faculty/ken.french/ftp/"
SAMPLE_DIR = Path(__file__).resolve().parents[1] / "sample" / "french"
MISSING = (-99.99, -999.0)  # the library's markers for missing data
PLAUSIBLE_PCT = 100.0  # a daily factor return beyond +-100 percent is not a daily return
MAX_CSV_BYTES = 64 * 2**20  # the daily FF3 file is ~1.2 MB; a member claiming far more is refused unread
_DATE = re.compile(r"^\d{8}$")
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
_VINTAGE = re.compile(r"created by using the (\d{6}) CRSP database", re.IGNORECASE)


@dataclass(frozen=True)
class Dataset:
    name: str  # the dataset (the Parquet file, the refresh record's dataset, the dbt source table)
    zip_name: str  # the library's file name, also the item named in errors and the raw zone
    columns: dict[str, str]  # header cell -> output column, in the file's order

    @property
    def csv_name(self) -> str:
        return self.zip_name.removesuffix("_CSV.zip") + ".csv"

    @property
    def path(self) -> str:
        return FTP_PATH + self.zip_name


FACTORS = Dataset(
    "factors_daily",
    "F-F_Research_Data_Factors_daily_CSV.zip",
    {"Mkt-RF": "mkt_rf_pct", "SMB": "smb_pct", "HML": "hml_pct", "RF": "rf_pct"},
)
MOMENTUM = Dataset("momentum_daily", "F-F_Momentum_Factor_daily_CSV.zip", {"Mom": "mom_pct"})
DATASETS = (FACTORS, MOMENTUM)


def _schema(dataset: Dataset) -> pa.Schema:
    return pa.schema(
        [("trade_date", pa.date32())]
        + [(out, pa.float64()) for out in dataset.columns.values()]
        + [("file_vintage", pa.string())]
    )


FACTORS_SCHEMA = _schema(FACTORS)
MOMENTUM_SCHEMA = _schema(MOMENTUM)


@dataclass
class ParsedFactors:
    rows: list[dict]
    vintage: str | None  # the CRSP database the file was built from (YYYYMM), as its first line says
    missing: dict[str, int] = field(default_factory=dict)  # header column -> cells marked missing (kept as null)

    @property
    def first_date(self) -> date:
        return self.rows[0]["trade_date"]

    @property
    def last_date(self) -> date:
        return self.rows[-1]["trade_date"]


class FrenchClient:
    mode = "live"

    def __init__(self, base_url: str, session: requests.Session | None = None, timeout: float = 60.0):
        self.base_url = base_url.rstrip("/")
        self.session = session or http.make_session()
        self.timeout = timeout

    def fetch(self, dataset: Dataset) -> Payload:
        url = self.base_url + dataset.path
        resp = http.get(self.session, url, source=SOURCE, item=dataset.zip_name, timeout=self.timeout)
        return Payload(SOURCE, dataset.zip_name, url, {}, resp.status_code, resp.content)

    def fetch_factors(self) -> Payload:
        return self.fetch(FACTORS)

    def fetch_momentum(self) -> Payload:
        return self.fetch(MOMENTUM)


class SampleFrenchClient:
    """The library's two zip files, in its exact shape but SYNTHETIC (scripts/make_sample.py): Mkt-RF follows the
    sample's synthetic S&P 500, SMB, HML and Mom are random. They end a month before the sample prices do, as the
    library's monthly updates lag, so offline builds meet days whose factors are not published yet."""

    mode = "sample"

    def __init__(self, folder: Path = SAMPLE_DIR):
        self.folder = folder

    def fetch(self, dataset: Dataset) -> Payload:
        body = (self.folder / dataset.zip_name).read_bytes()
        return Payload(SOURCE, dataset.zip_name, f"sample://french{dataset.path}", {}, 200, body)

    def fetch_factors(self) -> Payload:
        return self.fetch(FACTORS)

    def fetch_momentum(self) -> Payload:
        return self.fetch(MOMENTUM)


def parse_factors(body: bytes, status: int = 200) -> ParsedFactors:
    return parse(FACTORS, body, status)


def parse_momentum(body: bytes, status: int = 200) -> ParsedFactors:
    return parse(MOMENTUM, body, status)


def parse(dataset: Dataset, body: bytes, status: int = 200) -> ParsedFactors:
    """One of the library's daily zip files -> one row per day (percent, missing markers as null). Raises ParseError
    naming the item and the problem for anything else."""
    item = dataset.zip_name

    def fail(problem: str):
        return ParseError(SOURCE, item, problem)

    lines = _csv_lines(dataset, body, status)
    header_at = next((i for i, line in enumerate(lines) if line.startswith(",")), None)
    if header_at is None:
        raise fail("no header row (a line starting with ',' naming the columns): not one of the library's daily files")
    early = next((i for i, line in enumerate(lines[:header_at]) if _DATE.match(line.split(",")[0].strip())), None)
    if early is not None:
        raise fail(f"line {early + 1}: a data row before the header row")
    vintages = [found[1] for line in lines[:header_at] if (found := _VINTAGE.search(line))]
    vintage = vintages[0] if vintages else None
    names = [cell.strip() for cell in _cells(lines[header_at])[1:]]
    expected = list(dataset.columns)
    if names != expected:
        missing = [c for c in expected if c not in names]
        extra = [c for c in names if c not in expected]
        why = "; ".join([*(f"missing column {c!r}" for c in missing), *(f"unexpected column {c!r}" for c in extra)])
        raise fail(
            f"header row {lines[header_at].strip()[:80]!r}, expected {',' + ','.join(expected)!r} "
            f"({why or 'columns out of order'}): renamed upstream, or another dataset?"
        )

    rows, missing_cells, previous = [], {}, None
    for i in range(header_at + 1, len(lines)):
        line, number = lines[i], i + 1
        if not line.strip():
            break  # the end of the daily table (annual tables, the copyright line follow)
        cells = _cells(line)
        if len(cells) != len(expected) + 1:
            raise fail(
                f"line {number} has {len(cells)} cells, the header {len(expected) + 1} (truncated or malformed row)"
            )
        day = _day(cells[0].strip())
        if day is None:
            raise fail(f"line {number}: {cells[0].strip()[:20]!r} is not a valid YYYYMMDD date")
        if previous is not None and day <= previous:
            order = "repeats the day before it" if day == previous else f"comes before {previous} on the line above"
            raise fail(f"line {number}: {day} {order} (dates must be strictly increasing)")
        previous = day
        row = {"trade_date": day}
        for column, out, cell in zip(expected, dataset.columns.values(), cells[1:]):
            row[out] = _value(cell.strip(), column, day, number, fail)
            if row[out] is None:
                missing_cells[column] = missing_cells.get(column, 0) + 1
        row["file_vintage"] = vintage
        rows.append(row)
    if not rows:
        raise fail("the file has a header row but no data rows")
    return ParsedFactors(rows, vintage, missing_cells)


def _csv_lines(dataset: Dataset, body: bytes, status: int) -> list[str]:
    """The lines of the one CSV the zip must hold, exactly the one asked for."""
    item = dataset.zip_name
    if status != 200:
        raise ParseError(SOURCE, item, "service answered with an error", status)
    if not body:
        raise ParseError(SOURCE, item, "answer is an empty body")
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            members = archive.infolist()
            names = [m.filename for m in members]
            if names != [dataset.csv_name]:
                raise ParseError(
                    SOURCE,
                    item,
                    f"the zip holds {', '.join(map(repr, names[:5])) or 'nothing'}"
                    f"{' ...' if len(names) > 5 else ''}, not exactly "
                    f"{dataset.csv_name!r}: an answer about another dataset is refused",
                )
            if members[0].file_size > MAX_CSV_BYTES:
                raise ParseError(
                    SOURCE,
                    item,
                    f"{dataset.csv_name} claims {members[0].file_size:,} bytes, more than "
                    f"{MAX_CSV_BYTES:,}: refused unread",
                )
            data = archive.read(members[0])
    except ParseError:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        struct.error,
        EOFError,
        OSError,
        ValueError,
        NotImplementedError,
        RuntimeError,
        OverflowError,
        lzma.LZMAError,
    ) as exc:
        raise ParseError(
            SOURCE,
            item,
            f"answer is not a zip file the library would send (starts {body[:20]!r}): "
            f"{type(exc).__name__}: {str(exc)[:120]}",
        ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")  # the free text may carry a legacy byte; the table itself is checked cell by cell
    if "\x00" in text:
        raise ParseError(SOURCE, item, f"{dataset.csv_name} is not text (it holds NUL bytes)")
    return text.splitlines()


def _cells(line: str) -> list[str]:
    try:
        return next(csv.reader([line]), [])
    except csv.Error as exc:
        return [line, str(exc)]  # one odd cell count: reported as a malformed row by the caller


def _day(text: str) -> date | None:
    if not _DATE.match(text):
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def _value(text: str, column: str, day: date, line: int, fail) -> float | None:
    try:
        value = float(text) if _NUMBER.match(text) or text.lower().lstrip("+-") in ("nan", "inf", "infinity") else None
    except ValueError:  # a very long exponent still parses; nothing else should get here
        value = None
    if value is None:
        raise fail(f"line {line}: {column} on {day} is {text[:20]!r}, not a number")
    if not math.isfinite(value):
        raise fail(
            f"line {line}: {column} on {day} is {text[:20]!r}, not a finite number (NaN and infinity are refused)"
        )
    if value in MISSING:
        return None
    if abs(value) > PLAUSIBLE_PCT:
        raise fail(
            f"line {line}: {column} on {day} is {value:g} percent, implausible for one day (|value| > "
            f"{PLAUSIBLE_PCT:g}): refused"
        )
    return value
