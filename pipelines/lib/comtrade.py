"""UN Comtrade v1: queries, the live client (keyed or public preview), the bundled sample and the parser
(landing: pipelines/lib/comtrade_landing.py).

With COMTRADE_API_KEY set:  GET {base}/data/v1/get/C/{A|M}/HS        (key in header Ocp-Apim-Subscription-Key)
Without it:                  GET {base}/public/v1/preview/C/{A|M}/HS  (answers hold at most 500 records)

Wide queries (the Tier-2 countries' imports, the mirror exports to them) are packed so that even a full answer stays
under the cap. An answer of exactly the cap may still be cut short, so the query is split (periods first, then
partners, reporters, HS codes) and asked again until every answer is under the cap; a query that cannot be split
further and still hits the cap is an error, never taken as complete. Only partner2Code 0 rows are asked for and kept
(some years also carry one row per second partner: summing them all double counts), and annual and monthly rows stay
apart.
The key is read from the environment where it is used, sent only as a header, and never logged or stored.
"""

import gzip
import hashlib
import json
import math
import os
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pyarrow as pa
import requests

from . import http
from .errors import FetchError, ParseError
from .landing import Payload

SOURCE = "comtrade"
PREVIEW_CAP = 500
KEYED_CAP = 250_000  # records per call of the keyed endpoint (comtradeapicall's documentation: "max record 250K")
MAX_PERIODS_PER_QUERY = 12
SAMPLE_FILE = Path(__file__).resolve().parents[1] / "sample" / "comtrade" / "records.jsonl.gz"

CHINA = 156
WORLD = 0
# China's main IC suppliers: USA, Taiwan (Comtrade 490 "Other Asia, nes"), Korea, Japan, Malaysia, Vietnam,
# Singapore, the Netherlands (ASML, for 8486); WORLD gives the total.
CHINA_PARTNERS = (WORLD, 842, 490, 410, 392, 458, 704, 702, 528)
HS_CODES = ("8542", "8486")  # integrated circuits; machines for making semiconductors

# Where Tier-2 countries of the AI Diffusion Framework buy chips and servers: their imports from China, Hong Kong,
# the USA, Taiwan and the World (the total), and the mirror view, China's and the USA's exports to them.
HONG_KONG, USA, TAIWAN = 344, 842, 490
TIER2_PARTNERS = (WORLD, CHINA, HONG_KONG, USA, TAIWAN)
TIER2_HS_CODES = ("8542", "8471", "8473")  # integrated circuits; computers (servers); their parts (GPU boards)
TIER2_FIRST_YEAR = 2015
TIER2_FIRST_MONTHLY_YEAR = 2023


@dataclass(frozen=True)
class Query:
    name: str
    freq: str  # "A" annual, "M" monthly
    flow: str  # "M" imports, "X" exports
    reporters: tuple[int, ...]  # () means every reporter
    partners: tuple[int, ...]
    cmds: tuple[str, ...]
    periods: tuple[str, ...]

    def params(self) -> dict:
        params = {
            "partnerCode": ",".join(map(str, self.partners)),
            "partner2Code": "0",
            "flowCode": self.flow,
            "cmdCode": ",".join(self.cmds),
            "period": ",".join(self.periods),
            "customsCode": "C00",
            "motCode": "0",
        }
        if self.reporters:
            params["reporterCode"] = ",".join(map(str, self.reporters))
        return params

    @property
    def label(self) -> str:
        span = self.periods[0] if len(self.periods) == 1 else f"{self.periods[0]}..{self.periods[-1]}"
        who = ",".join(map(str, self.reporters)) or "all"
        return (
            f"{self.name} [{self.freq} flow={self.flow} reporters={who} "
            f"partners={','.join(map(str, self.partners))} hs={','.join(self.cmds)} periods={span}]"
        )

    @property
    def key(self) -> str:
        digest = hashlib.sha1(json.dumps(self.params(), sort_keys=True).encode()).hexdigest()[:12]
        return f"{self.name}-{self.freq}{self.flow}-{digest}"

    def split(self) -> list["Query"]:
        """Halve the longest splittable dimension; [] when nothing can be split."""
        for field in ("periods", "partners", "reporters", "cmds"):
            values = getattr(self, field)
            if len(values) > 1:
                mid = len(values) // 2
                return [replace(self, **{field: values[:mid]}), replace(self, **{field: values[mid:]})]
        return []


def chunks(values, size: int) -> list[tuple]:
    return [tuple(values[i : i + size]) for i in range(0, len(values), size)]


def months_before(today: date, first_year: int) -> list[str]:
    """Every month (YYYYMM) from January of `first_year` up to the month before `today`."""
    return [
        f"{y}{m:02d}"
        for y in range(first_year, today.year + 1)
        for m in range(1, 13)
        if (y, m) < (today.year, today.month)
    ]


def packed(
    name: str,
    freq: str,
    flow: str,
    reporters: tuple[int, ...],
    partners: tuple[int, ...],
    cmds: tuple[str, ...],
    periods: list[str],
    wide: str,
    cap: int,
) -> list[Query]:
    """Queries for every combination, sized so that even a full answer (one row per reporter, partner, HS code and
    period) stays under `cap`: the `wide` dimension ("reporters" or "partners") is cut into even chunks, or, when
    it fits whole, several periods share a query. No request is spent on an answer cut at the cap."""
    values = reporters if wide == "reporters" else partners
    per_value = (len(partners) if wide == "reporters" else len(reporters)) * len(cmds)
    room = (cap - 1) // per_value  # wide values (x periods) one answer can hold below the cap
    if room < 1:
        raise ValueError(f"{name}: {per_value} records per {wide[:-1]} and period do not fit under the cap of {cap}")
    if len(values) <= room:
        groups, period_chunks = [values], chunks(periods, min(MAX_PERIODS_PER_QUERY, room // len(values)))
    else:
        count = -(-len(values) // room)
        size = -(-len(values) // count)
        groups, period_chunks = [values[i : i + size] for i in range(0, len(values), size)], chunks(periods, 1)
    queries = []
    for ps in period_chunks:
        for group in groups:
            if wide == "reporters":
                queries.append(Query(name, freq, flow, group, partners, cmds, ps))
            else:
                queries.append(Query(name, freq, flow, reporters, group, cmds, ps))
    return queries


def default_queries(start_year: int, today: date, tier2: tuple[int, ...] = (), cap: int = PREVIEW_CAP) -> list[Query]:
    """What chipwatch asks for: China's imports by partner (annual and monthly), every reporter's imports from the
    USA (annual: Tier-2 countries as a route around the controls), every reporter's IC exports to the World, and, for
    the `tier2` reporters (Comtrade codes), their chip and computer imports by partner and China's and the USA's
    exports to them (annual from 2015, monthly from 2023), packed to stay under `cap` records per answer."""
    last_year = today.year - 1
    years = [str(y) for y in range(start_year, last_year + 1)]
    months = months_before(today, today.year - 2)
    queries = []
    for periods in chunks(years, MAX_PERIODS_PER_QUERY):
        queries.append(Query("china_imports", "A", "M", (CHINA,), CHINA_PARTNERS, HS_CODES, periods))
        queries.append(Query("imports_from_usa", "A", "M", (), (USA,), HS_CODES, periods))
        queries.append(Query("exports_to_world", "A", "X", (), (WORLD,), ("8542",), periods))
    for periods in chunks(months, MAX_PERIODS_PER_QUERY):
        queries.append(Query("china_imports", "M", "M", (CHINA,), CHINA_PARTNERS, HS_CODES, periods))
        queries.append(Query("exports_to_world", "M", "X", (), (WORLD,), ("8542",), periods))
    if tier2:
        tier2 = tuple(sorted(set(tier2)))
        tier2_years = [y for y in years if int(y) >= TIER2_FIRST_YEAR]
        tier2_months = months_before(today, max(start_year, TIER2_FIRST_MONTHLY_YEAR))
        for freq, periods in (("A", tier2_years), ("M", tier2_months)):
            queries += packed(
                "tier2_imports", freq, "M", tier2, TIER2_PARTNERS, TIER2_HS_CODES, periods, "reporters", cap
            )
            queries += packed(
                "tier2_mirror_exports", freq, "X", (CHINA, USA), tier2, TIER2_HS_CODES, periods, "partners", cap
            )
    return queries


class ComtradeClient:
    """The live client. The keyed endpoint when COMTRADE_API_KEY is set, else the public preview (capped)."""

    mode = "live"

    def __init__(
        self, base_url: str, session: requests.Session | None = None, timeout: float = 60.0, api_key: str | None = None
    ):
        self.base_url = base_url.rstrip("/")
        self.session = session or http.make_session()
        self.timeout = timeout
        key = api_key if api_key is not None else os.environ.get("COMTRADE_API_KEY")
        self._key = key or None  # never logged, never part of a URL, a Payload or an error
        self.cap = None if self._key else PREVIEW_CAP

    def fetch(self, query: Query) -> Payload:
        from . import redaction

        prefix = "/data/v1/get" if self._key else "/public/v1/preview"
        url = f"{self.base_url}{prefix}/C/{query.freq}/HS"
        headers = {"Ocp-Apim-Subscription-Key": self._key} if self._key else None
        redaction.register(self._key)  # so every error message built from here on is redacted
        resp = http.get(
            self.session,
            url,
            source=SOURCE,
            item=query.label,
            params=query.params(),
            headers=headers,
            timeout=self.timeout,
        )
        # an error page that echoes the key: neither the raw zone nor a message built from the body keeps it
        body = redaction.redact_bytes(resp.content) if self._key else resp.content
        return Payload(SOURCE, query.key, url, query.params(), resp.status_code, body)


class SampleComtradeClient:
    """Answers from the bundled sample (synthetic records in the v1 shape), filtered like the service, preview cap
    included, so offline runs exercise the same splitting and parsing."""

    mode = "sample"
    cap = PREVIEW_CAP

    def __init__(self, path: Path = SAMPLE_FILE):
        self.path = path
        self._records = None

    def fetch(self, query: Query) -> Payload:
        if self._records is None:  # indexed by what every query names, so ~600 queries do not scan every record
            self._records = {}
            with gzip.open(self.path, "rt") as fh:
                for record in map(json.loads, filter(str.strip, fh)):
                    key = (record["freqCode"], record["flowCode"], record["cmdCode"], str(record["period"]))
                    self._records.setdefault(key, []).append(record)
        params = query.params()

        def wanted(name, value):
            return name not in params or str(value) in params[name].split(",")

        data = [
            r
            for cmd in query.cmds
            for period in query.periods
            for r in self._records.get((query.freq, query.flow, cmd, period), ())
            if all(wanted(n, r[n]) for n in ("reporterCode", "partnerCode", "partner2Code"))
        ][: self.cap]
        body = json.dumps({"elapsedTime": "0 secs", "count": len(data), "data": data, "error": ""}).encode()
        return Payload(SOURCE, query.key, f"sample://comtrade/public/v1/preview/C/{query.freq}/HS", params, 200, body)


RECORD_FIELDS = {  # Comtrade field -> (column, type)
    "freqCode": ("freq_code", str),
    "period": ("period", str),
    "refYear": ("ref_year", int),
    "refMonth": ("ref_month", int),
    "reporterCode": ("reporter_code", int),
    "partnerCode": ("partner_code", int),
    "partner2Code": ("partner2_code", int),
    "flowCode": ("flow_code", str),
    "cmdCode": ("cmd_code", str),
    "customsCode": ("customs_code", str),
    "motCode": ("mot_code", int),
    "primaryValue": ("primary_value", float),
    "cifvalue": ("cif_value", float),
    "fobvalue": ("fob_value", float),
    "netWgt": ("net_weight_kg", float),
    "isReported": ("is_reported", bool),
    "isAggregate": ("is_aggregate", bool),
}
REQUIRED_FIELDS = (
    "freqCode",
    "period",
    "reporterCode",
    "partnerCode",
    "partner2Code",
    "flowCode",
    "cmdCode",
    "primaryValue",
)
NATURAL_KEY = (
    "freq_code",
    "period",
    "reporter_code",
    "partner_code",
    "partner2_code",
    "flow_code",
    "cmd_code",
    "customs_code",
    "mot_code",
)

RECORDS_SCHEMA = pa.schema(
    [
        (col, {str: pa.string(), int: pa.int64(), float: pa.float64(), bool: pa.bool_()}[kind])
        for col, kind in RECORD_FIELDS.values()
    ]
    + [("query_name", pa.string())]
)


def parse_records(query: Query, body: bytes, status: int) -> tuple[list[dict], int]:
    """One answer -> (rows kept, records in the answer). Errors name the source and the query, never the key."""
    item = query.label
    head = body[:60].decode("utf-8", "replace").strip()
    if status == 401:
        raise FetchError(SOURCE, item, "unauthorized: the keyed endpoint needs a valid COMTRADE_API_KEY", status)
    if status != 200:
        raise FetchError(SOURCE, item, f"service answered with an error (body starts {head!r})", status)
    try:
        doc = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        what = "an empty body" if not body.strip() else f"not JSON (starts {head!r})"
        if body.lstrip()[:1] == b"{":
            what = f"truncated or malformed JSON ({len(body)} bytes)"
        raise ParseError(SOURCE, item, f"answer is {what}", status) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("data"), list):
        raise ParseError(SOURCE, item, "answer has no 'data' list")
    if doc.get("error"):
        raise FetchError(SOURCE, item, f"service error: {str(doc['error'])[:200]}", status)
    data = doc["data"]
    if "count" in doc and doc["count"] != len(data):
        raise ParseError(SOURCE, item, f"answer says count {doc['count']} but holds {len(data)} records")
    rows, seen = [], {}
    for i, record in enumerate(data):
        if not isinstance(record, dict):
            raise ParseError(SOURCE, item, f"record #{i} is not an object")
        missing = [f for f in REQUIRED_FIELDS if f not in record]
        if missing:
            raise ParseError(SOURCE, item, f"record #{i} has no {missing[0]!r}")
        row = {}
        for field, (column, kind) in RECORD_FIELDS.items():
            value = record.get(field)
            try:
                row[column] = None if value is None else kind(value)
            except (TypeError, ValueError, OverflowError):  # int(inf) overflows
                raise ParseError(
                    SOURCE, item, f"record #{i}: {field} is not {kind.__name__}: {str(value)[:20]!r}"
                ) from None
            if kind is float and row[column] is not None and not math.isfinite(row[column]):  # JSON NaN, Infinity
                raise ParseError(SOURCE, item, f"record #{i}: {field} is not a finite number: {value!r}")
        if row["partner2_code"] != 0 or row["freq_code"] != query.freq:
            continue  # only partner2 0 rows, and never the other frequency
        foreign = not_asked(query, row)
        if foreign:  # an answer about something else must not replace what was asked for
            raise ParseError(SOURCE, item, f"record #{i} is not what was asked: {foreign}")
        if row["primary_value"] is not None and row["primary_value"] < 0:
            raise ParseError(SOURCE, item, f"record #{i}: negative trade value {row['primary_value']}")
        key = tuple(row[k] for k in NATURAL_KEY)
        if key in seen:  # two values for one flow: which is right cannot be told, so neither is taken
            raise ParseError(
                SOURCE,
                item,
                f"records #{seen[key]} and #{i} have the same key "
                f"(reporter {row['reporter_code']}, partner {row['partner_code']}, "
                f"HS {row['cmd_code']}, period {row['period']})",
            )
        seen[key] = i
        row["query_name"] = query.name
        rows.append(row)
    return rows, len(data)


def not_asked(query: Query, row: dict) -> str | None:
    """What in a record differs from the query it answers (flow, reporter, partner, HS code, period), or None."""
    checks = (
        ("flow", row["flow_code"], (query.flow,)),
        ("reporter", row["reporter_code"], query.reporters or None),
        ("partner", row["partner_code"], query.partners),
        ("HS code", row["cmd_code"], query.cmds),
        ("period", row["period"], query.periods),
    )
    for name, value, asked in checks:
        if asked is not None and value not in asked:
            return f"{name} {str(value)[:20]!r}, asked {','.join(map(str, asked))[:80]}"
    return None
