"""Epoch AI's Machine Learning Hardware dataset (CSV): the live client, the bundled sample and the parser
(landing: pipelines/lib/epoch_landing.py).

GET {base}/data/ml_hardware.csv   (base from CHIPWATCH_EPOCH_URL, default https://epoch.ai; the published
download path, as linked from epoch.ai/data/machine-learning-hardware). CC BY 4.0, Epoch AI.

The parser keeps Epoch's units (FLOP/s, bytes, byte/s); staging converts them to TFLOPS, GB, TB/s. A column this
project reads that is missing or renamed fails the whole file with an error naming the column. A cell that should be
a number but is not becomes null and is counted (per column), never a crash.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pyarrow as pa
import requests

from . import http
from .errors import ParseError
from .landing import Payload

SOURCE = "epoch"
ITEM = "ml_hardware.csv"
PATH = "/data/ml_hardware.csv"
SAMPLE_FILE = Path(__file__).resolve().parents[1] / "sample" / "epoch" / "ml_hardware.csv"

TEXT_COLUMNS = {
    "Hardware name": "hardware_name",
    "Manufacturer": "manufacturer",
    "Type": "hardware_type",
    "Foundry": "foundry",
    "Link to datasheet": "datasheet_url",
    "Last modified": "last_modified",
}
NUMBER_COLUMNS = {
    "Tensor-FP16/BF16 performance (FLOP/s)": "tensor_fp16_bf16_flops",
    "FP16 (half precision) performance (FLOP/s)": "fp16_flops",
    "FP8 performance (FLOP/s)": "fp8_flops",
    "INT8 performance (OP/s)": "int8_ops",
    "Memory size per board (Byte)": "memory_bytes",
    "Memory bandwidth (byte/s)": "memory_bandwidth_bytes_per_s",
    "Intranode bandwidth (byte/s)": "intranode_bandwidth_bytes_per_s",
    "Die Size (mm^2)": "die_size_mm2",
    "TDP (W)": "tdp_w",
    "Total processing performance (bit-OP/s)": "tpp_bit_ops",
    "Process size (nm)": "process_nm",
    "Transistors (millions)": "transistors_millions",
    "Release price (USD)": "release_price_usd",
}
DATE_COLUMNS = {"Release date": "release_date"}
REQUIRED = [*TEXT_COLUMNS, *NUMBER_COLUMNS, *DATE_COLUMNS]


@dataclass
class ParsedHardware:
    rows: list[dict]
    bad_cells: dict[str, int] = field(default_factory=dict)  # column -> cells that were not a number/date

    @property
    def bad_cell_count(self) -> int:
        return sum(self.bad_cells.values())


def chip_id(name: str) -> str:
    """A stable key from Epoch's hardware name: 'NVIDIA H100 SXM5 80GB' -> 'nvidia_h100_sxm5_80gb'."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


class EpochClient:
    mode = "live"

    def __init__(self, base_url: str, session: requests.Session | None = None, timeout: float = 60.0):
        self.base_url = base_url.rstrip("/")
        self.session = session or http.make_session()
        self.timeout = timeout

    def fetch_hardware(self) -> Payload:
        url = self.base_url + PATH
        resp = http.get(self.session, url, source=SOURCE, item=ITEM, timeout=self.timeout)
        return Payload(SOURCE, ITEM, url, {}, resp.status_code, resp.content)


class SampleEpochClient:
    """A small Epoch-shaped file bundled for offline runs (pipelines/sample/epoch/ml_hardware.csv)."""

    mode = "sample"

    def __init__(self, path: Path = SAMPLE_FILE):
        self.path = path

    def fetch_hardware(self) -> Payload:
        return Payload(SOURCE, ITEM, f"sample://epoch{PATH}", {}, 200, self.path.read_bytes())


def parse_hardware(body: bytes, status: int = 200) -> ParsedHardware:
    if status != 200:
        raise ParseError(SOURCE, ITEM, "service answered with an error", status)
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ParseError(SOURCE, ITEM, "answer is not UTF-8 text") from None
    head = text.lstrip()[:80]
    if not head:
        raise ParseError(SOURCE, ITEM, "answer is an empty body")
    if head.startswith("<") or head.startswith("{"):
        raise ParseError(SOURCE, ITEM, f"answer is not CSV (starts {head[:40]!r})")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ParseError(SOURCE, ITEM, f"missing column {missing[0]!r}"
                         + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else "")
                         + " — renamed or dropped upstream?")
    rows, bad, seen = [], {}, {}
    for line, cells in enumerate(reader, start=2):
        if not cells:
            continue
        if len(cells) != len(header):  # a cut-off body ends in a short line
            raise ParseError(SOURCE, ITEM, f"line {line} has {len(cells)} cells, the header {len(header)}"
                             " (truncated or malformed CSV)")
        record = dict(zip(header, cells))
        name = (record.get("Hardware name") or "").strip()
        if not name:
            bad["Hardware name"] = bad.get("Hardware name", 0) + 1
            continue
        key = chip_id(name)
        if not key:  # a name with no letter or digit cannot be a key: counted like any unreadable cell
            bad["Hardware name"] = bad.get("Hardware name", 0) + 1
            continue
        if key in seen:
            raise ParseError(SOURCE, ITEM, f"line {line}: hardware {name!r} repeats line {seen[key]}")
        seen[key] = line
        row = {"chip_id": key}
        for column, out in TEXT_COLUMNS.items():
            row[out] = (record.get(column) or "").strip() or None
        for column, out in NUMBER_COLUMNS.items():
            row[out] = _number(record.get(column), column, bad)
        for column, out in DATE_COLUMNS.items():
            row[out] = _date(record.get(column), column, bad)
        rows.append(row)
    if not rows:
        raise ParseError(SOURCE, ITEM, "file has a header but no hardware rows")
    return ParsedHardware(rows, bad)


def _number(cell, column: str, bad: dict) -> float | None:
    text = (cell or "").strip().replace(",", "")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        bad[column] = bad.get(column, 0) + 1
        return None
    if value != value or value in (float("inf"), float("-inf")) or value < 0:
        bad[column] = bad.get(column, 0) + 1
        return None
    return value


def _date(cell, column: str, bad: dict) -> date | None:
    text = (cell or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        bad[column] = bad.get(column, 0) + 1
        return None


HARDWARE_SCHEMA = pa.schema(
    [("chip_id", pa.string())]
    + [(out, pa.string()) for out in TEXT_COLUMNS.values()]
    + [(out, pa.float64()) for out in NUMBER_COLUMNS.values()]
    + [(out, pa.date32()) for out in DATE_COLUMNS.values()]
)
