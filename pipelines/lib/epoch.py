"""Epoch AI's datasets (CSV, CC BY 4.0): the live client, the bundled sample and the parsers
(landing: pipelines/lib/epoch_landing.py).

GET {base}/data/ml_hardware.csv    Machine Learning Hardware (epoch.ai/data/machine-learning-hardware)
GET {base}/data/gpu_clusters.csv   GPU Clusters, formerly "AI Supercomputers" (epoch.ai/data/gpu-clusters)
(base from CHIPWATCH_EPOCH_URL, default https://epoch.ai; the published download paths).

The parser keeps Epoch's units (FLOP/s, bytes, byte/s); staging converts them to TFLOPS, GB, TB/s. A column this
project reads that is missing or renamed fails the whole file with an error naming the column. A cell that should be
a number but is not becomes null and is counted (per column), never a crash.
"""

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pyarrow as pa
import requests

from . import http
from .countries import iso3_for_name
from .errors import ParseError
from .landing import Payload

SOURCE = "epoch"
ITEM = "ml_hardware.csv"
PATH = "/data/ml_hardware.csv"
SAMPLE_FILE = Path(__file__).resolve().parents[1] / "sample" / "epoch" / "ml_hardware.csv"
CLUSTERS_ITEM = "gpu_clusters.csv"
CLUSTERS_PATH = "/data/gpu_clusters.csv"
CLUSTERS_SAMPLE_FILE = SAMPLE_FILE.with_name("gpu_clusters.csv")

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

    def fetch_clusters(self) -> Payload:
        url = self.base_url + CLUSTERS_PATH
        resp = http.get(self.session, url, source=SOURCE, item=CLUSTERS_ITEM, timeout=self.timeout)
        return Payload(SOURCE, CLUSTERS_ITEM, url, {}, resp.status_code, resp.content)


class SampleEpochClient:
    """Small Epoch-shaped files bundled for offline runs (pipelines/sample/epoch/): real hardware rows, and SYNTHETIC
    clusters (scripts/make_clusters_sample.py) in the real dataset's columns."""

    mode = "sample"

    def __init__(self, path: Path = SAMPLE_FILE, clusters_path: Path = CLUSTERS_SAMPLE_FILE):
        self.path = path
        self.clusters_path = clusters_path

    def fetch_hardware(self) -> Payload:
        return Payload(SOURCE, ITEM, f"sample://epoch{PATH}", {}, 200, self.path.read_bytes())

    def fetch_clusters(self) -> Payload:
        body = self.clusters_path.read_bytes()
        return Payload(SOURCE, CLUSTERS_ITEM, f"sample://epoch{CLUSTERS_PATH}", {}, 200, body)


def _csv_rows(body: bytes, status: int, item: str, required: list[str]):
    """Yield (line number, {column: cell}) of an Epoch CSV; a missing column, a body that is not CSV or a cut-off
    line fails the whole file with a ParseError naming the item and the problem."""
    if status != 200:
        raise ParseError(SOURCE, item, "service answered with an error", status)
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ParseError(SOURCE, item, "answer is not UTF-8 text") from None
    head = text.lstrip()[:80]
    if not head:
        raise ParseError(SOURCE, item, "answer is an empty body")
    if head.startswith("<") or head.startswith("{"):
        raise ParseError(SOURCE, item, f"answer is not CSV (starts {head[:40]!r})")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, [])
    except csv.Error as exc:
        raise ParseError(SOURCE, item, f"the header line is not readable CSV ({exc})") from None
    missing = [name for name in required if name not in header]
    if missing:
        raise ParseError(
            SOURCE,
            item,
            f"missing column {missing[0]!r}"
            + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else "")
            + " — renamed or dropped upstream?",
        )
    line = 1
    while True:
        try:  # the csv module's own limit (a cell over 128 KiB, a NUL byte) names no item: say which line
            cells = next(reader, None)
        except csv.Error as exc:
            raise ParseError(SOURCE, item, f"line {reader.line_num} is not readable CSV ({exc})") from None
        if cells is None:
            return
        line += 1
        if not cells:
            continue
        if len(cells) != len(header):  # a cut-off body ends in a short line
            raise ParseError(
                SOURCE,
                item,
                f"line {line} has {len(cells)} cells, the header {len(header)} (truncated or malformed CSV)",
            )
        yield line, dict(zip(header, cells))


def parse_hardware(body: bytes, status: int = 200) -> ParsedHardware:
    rows, bad, seen = [], {}, {}
    for line, record in _csv_rows(body, status, ITEM, REQUIRED):
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


# a thousands separator groups digits in threes before any decimal point ("1,228", "3,350,000"); any other comma
# ("1,5", a decimal comma) makes the cell unreadable rather than a number ten times too large
THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?([eE][+-]?\d+)?")
# figures that are never zero for a real chip: a 0 is a placeholder, and a ratio over it would be infinite
POSITIVE_ONLY = {"TDP (W)", "Die Size (mm^2)", "Memory bandwidth (byte/s)", "Memory size per board (Byte)"}


def _number(cell, column: str, bad: dict) -> float | None:
    """A cell as a non-negative finite number, or None; an unreadable cell is counted in `bad` by column."""
    text = (cell or "").strip()
    if not text:
        return None
    if "," in text:
        if not THOUSANDS.fullmatch(text):
            bad[column] = bad.get(column, 0) + 1
            return None
        text = text.replace(",", "")
    try:
        value = float(text)
    except ValueError:
        bad[column] = bad.get(column, 0) + 1
        return None
    if (
        value != value
        or value in (float("inf"), float("-inf"))
        or value < 0
        or (value == 0 and column in POSITIVE_ONLY)
    ):
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


# -- GPU clusters ----------------------------------------------------------------------------------------------

CLUSTER_TEXT_COLUMNS = {
    "Name": "cluster_name",
    "Status": "status",
    "Certainty": "certainty",
    "Single cluster?": "single_cluster",
    "Country": "country_name",
    "Owner": "owner",
    "Sector": "sector",
    "Chip type (primary)": "chip_type_primary",
    "Chip type (secondary)": "chip_type_secondary",
    "GPU Supplier (primary)": "gpu_supplier_primary",
    "GPU supplier (secondary)": "gpu_supplier_secondary",
    "Builds Upon": "builds_upon",
    "Superseded by": "superseded_by",
    "Possible Duplicate Of": "possible_duplicate_of",
    "First Operational Date Note": "first_operational_date_note",
    "Location": "location",
}
CLUSTER_NUMBER_COLUMNS = {
    "H100 equivalents": "h100_equivalents",
    "Chip quantity (primary)": "chip_quantity_primary",
    "Chip quantity (secondary)": "chip_quantity_secondary",
    "Total number of AI chips": "total_ai_chips",
    "Power Capacity (MW)": "power_capacity_mw",
    "Hardware Cost": "hardware_cost_usd",
    "Max OP/s": "max_ops_per_s",
}
CLUSTER_FLAG_COLUMNS = {  # "TRUE" or empty in the export
    "Possible Duplicate": "is_possible_duplicate",
    "Include in Standard Analysis": "in_epoch_standard_analysis",
    "Exclude": "is_excluded",
}
CLUSTER_DATE_COLUMNS = {
    "First Operational Date": "first_operational_date",
    "Decommissioned Date (if applicable)": "decommissioned_date",
}
CLUSTER_REQUIRED = [*CLUSTER_TEXT_COLUMNS, *CLUSTER_NUMBER_COLUMNS, *CLUSTER_FLAG_COLUMNS, *CLUSTER_DATE_COLUMNS]
STATUSES = {"Existing", "Planned", "Decommissioned"}
# 'M/D/YYYY' (most rows), 'YYYY-MM-DD', 'YYYY-MM' and 'YYYY' are all in the export
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_YEAR = re.compile(r"\b(20[1-4]\d)\b")


def parse_clusters(body: bytes, status: int = 200) -> ParsedHardware:
    """Epoch's GPU clusters CSV -> one row per record, with a stable `cluster_key` (Chinese entries are anonymised:
    same name, rounded figures, so the key is a hash of the record's identifying cells plus its rank among identical
    ones), the country's ISO3 when the name is a country, and dates with their precision (day, month or year)."""
    rows, bad, seen = [], {}, {}
    for line, record in _csv_rows(body, status, CLUSTERS_ITEM, CLUSTER_REQUIRED):
        row = {out: (record.get(column) or "").strip() or None for column, out in CLUSTER_TEXT_COLUMNS.items()}
        if not row["cluster_name"]:
            bad["Name"] = bad.get("Name", 0) + 1
            continue
        if row["status"] not in STATUSES:
            raise ParseError(
                SOURCE,
                CLUSTERS_ITEM,
                f"line {line}: unknown status {row['status']!r} (expected one of {', '.join(sorted(STATUSES))})",
            )
        for column, out in CLUSTER_NUMBER_COLUMNS.items():
            row[out] = _number(record.get(column), column, bad)
        for column, out in CLUSTER_FLAG_COLUMNS.items():
            row[out] = (record.get(column) or "").strip().upper() == "TRUE"
        for column, out in CLUSTER_DATE_COLUMNS.items():
            row[out], row[f"{out}_precision"] = _loose_date(record.get(column), column, bad)
        row["planned_year"] = _planned_year(row)
        row["country_iso3"] = iso3_for_name(row["country_name"])
        identity = "|".join(
            str(row[k])
            for k in (
                "cluster_name",
                "status",
                "country_name",
                "owner",
                "first_operational_date",
                "h100_equivalents",
                "power_capacity_mw",
                "chip_type_primary",
                "chip_quantity_primary",
            )
        )
        digest = hashlib.sha1(identity.encode()).hexdigest()[:12]
        seen[digest] = seen.get(digest, 0) + 1
        row["cluster_key"] = f"{digest}-{seen[digest]}"
        rows.append(row)
    if not rows:
        raise ParseError(SOURCE, CLUSTERS_ITEM, "file has a header but no cluster rows")
    return ParsedHardware(rows, bad)


def _loose_date(cell, column: str, bad: dict) -> tuple[date | None, str | None]:
    text = (cell or "").strip()
    if not text:
        return None, None
    try:
        if m := _US_DATE.match(text):
            return date(int(m[3]), int(m[1]), int(m[2])), "day"
        if m := _ISO_DATE.match(text):
            precision = "day" if m[3] else "month" if m[2] else "year"
            return date(int(m[1]), int(m[2] or 1), int(m[3] or 1)), precision
    except ValueError:
        pass
    bad[column] = bad.get(column, 0) + 1
    return None, None


def _planned_year(row: dict) -> int | None:
    """When a planned cluster is expected: its first operational date, else a year named in Epoch's note on that
    date ('Planned 2030'); None when neither says."""
    if row["status"] != "Planned":
        return None
    if row["first_operational_date"] is not None:
        return row["first_operational_date"].year
    found = _YEAR.search(row["first_operational_date_note"] or "")
    return int(found[1]) if found else None


CLUSTERS_SCHEMA = pa.schema(
    [("cluster_key", pa.string())]
    + [(out, pa.string()) for out in CLUSTER_TEXT_COLUMNS.values()]
    + [("country_iso3", pa.string())]
    + [(out, pa.float64()) for out in CLUSTER_NUMBER_COLUMNS.values()]
    + [(out, pa.bool_()) for out in CLUSTER_FLAG_COLUMNS.values()]
    + [
        field
        for out in CLUSTER_DATE_COLUMNS.values()
        for field in ((out, pa.date32()), (f"{out}_precision", pa.string()))
    ]
    + [("planned_year", pa.int32())]
)
