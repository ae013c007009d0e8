"""Yahoo Finance chart v8: the live client, the bundled-sample client and the one parser both feed.

GET {base}/v8/finance/chart/{SYMBOL}?period1=<unix>&period2=<unix>&interval=1d

Shapes handled (as the real service sends them):
- a range with no sessions has no "timestamp" key: zero rows, not an error;
- an unknown symbol answers 404 with {"chart": {"result": null, "error": {...}}};
- a bar whose every price is null is a no-trade placeholder: dropped and counted;
- a bar with some prices but a null close / adjclose, a non-positive price, or a repeated date is bad input:
  ParseError naming the symbol, the date and the problem;
- a chart whose meta.symbol is not the symbol asked (a misrouted answer) is refused.
Checks that need the listing (its exchange's sessions and time zone, plausible moves against the stored history)
are the landing's (pipelines/lib/yahoo_landing.py).
"""

import gzip
import json
import math
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import requests

from . import http
from .errors import ChipwatchError, FetchError, ParseError
from .landing import Payload

SOURCE = "yahoo"
SYMBOL_RE = re.compile(r"^[A-Za-z0-9^][A-Za-z0-9.^=\-]{0,19}$")
SAMPLE_DIR = Path(__file__).resolve().parents[1] / "sample" / "yahoo"
PRICE_FIELDS = ("open", "high", "low", "close", "adj_close")


@dataclass
class ParsedChart:
    symbol: str
    currency: str | None
    exchange_timezone: str
    rows: list[dict]
    dropped_empty_bars: int


def validate_symbol(symbol: str) -> str:
    if not isinstance(symbol, str) or not SYMBOL_RE.match(symbol):
        raise ChipwatchError(f"yahoo: not a valid ticker symbol: {str(symbol)[:40]!r}")
    return symbol


def chart_params(start: date, end: date) -> dict:
    """period1 inclusive at 00:00 UTC of `start`, period2 exclusive at 00:00 UTC the day after `end`."""
    p1 = datetime.combine(start, time(0), tzinfo=UTC)
    p2 = datetime.combine(end + timedelta(days=1), time(0), tzinfo=UTC)
    return {"period1": int(p1.timestamp()), "period2": int(p2.timestamp()), "interval": "1d"}


class YahooClient:
    """The live client. `base_url` comes from CHIPWATCH_YAHOO_URL."""

    mode = "live"

    def __init__(self, base_url: str, session: requests.Session | None = None, timeout: float = 20.0):
        self.base_url = base_url.rstrip("/")
        self.session = session or http.make_session()
        self.timeout = timeout

    def fetch_chart(self, symbol: str, start: date, end: date) -> Payload:
        validate_symbol(symbol)
        url = f"{self.base_url}/v8/finance/chart/{requests.utils.quote(symbol, safe='')}"
        params = chart_params(start, end)
        resp = http.get(self.session, url, source=SOURCE, item=symbol, params=params, timeout=self.timeout)
        return Payload(SOURCE, symbol, url, params, resp.status_code, resp.content)


class SampleYahooClient:
    """The offline client: answers from the bundled synthetic sample, in the service's exact shape,
    filtered to the requested period like the service does."""

    mode = "sample"

    def __init__(self, sample_dir: Path = SAMPLE_DIR):
        self.sample_dir = sample_dir

    def fetch_chart(self, symbol: str, start: date, end: date) -> Payload:
        validate_symbol(symbol)
        params = chart_params(start, end)
        path = self.sample_dir / f"{symbol.replace('^', '_')}.json.gz"
        url = f"sample://yahoo/v8/finance/chart/{symbol}"
        if not path.exists():
            body = {
                "chart": {
                    "result": None,
                    "error": {"code": "Not Found", "description": "No data found, symbol may be delisted"},
                }
            }
            return Payload(SOURCE, symbol, url, params, 404, json.dumps(body).encode())
        doc = json.loads(gzip.decompress(path.read_bytes()))
        result = doc["chart"]["result"][0]
        stamps = result.pop("timestamp", [])
        keep = [i for i, t in enumerate(stamps) if params["period1"] <= t < params["period2"]]
        quote = result["indicators"]["quote"][0]
        for key in list(quote):
            quote[key] = [quote[key][i] for i in keep]
        adj = result["indicators"]["adjclose"][0]
        adj["adjclose"] = [adj["adjclose"][i] for i in keep]
        if keep:
            result["timestamp"] = [stamps[i] for i in keep]
        return Payload(SOURCE, symbol, url, params, 200, json.dumps(doc).encode())


def parse_chart(symbol: str, body: bytes, status: int = 200) -> ParsedChart:
    """Turn one chart payload into daily rows. Raises ParseError / FetchError naming the symbol."""
    head = body[:60].decode("utf-8", "replace").strip()
    try:
        doc = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        if status != 200:
            raise FetchError(SOURCE, symbol, f"service answered with an error (body starts {head!r})", status) from None
        what = "an empty body" if not body.strip() else f"not JSON (starts {head!r})"
        if body.lstrip()[:1] in (b"{", b"["):
            what = f"truncated or malformed JSON ({len(body)} bytes)"
        raise ParseError(SOURCE, symbol, f"answer is {what}", status) from None
    chart = doc.get("chart") if isinstance(doc, dict) else None
    if not isinstance(chart, dict):
        if status != 200:
            raise FetchError(SOURCE, symbol, f"service answered with an error (body starts {head!r})", status)
        raise ParseError(SOURCE, symbol, "answer has no 'chart' object", status)
    error = chart.get("error")
    if error:
        desc = error.get("description") or error.get("code") if isinstance(error, dict) else str(error)
        problem = f"unknown symbol: {desc}" if status == 404 else f"service error: {desc}"
        raise FetchError(SOURCE, symbol, problem, status)
    if status != 200:
        raise FetchError(SOURCE, symbol, "unexpected HTTP status", status)
    results = chart.get("result")
    if not results or not isinstance(results, list) or not isinstance(results[0], dict):
        raise ParseError(SOURCE, symbol, "answer has no chart result", status)
    result = results[0]
    meta = result.get("meta") or {}
    answered = meta.get("symbol") if isinstance(meta, dict) else None
    if not isinstance(answered, str) or answered.upper() != symbol.upper():  # a misrouted or mislabelled answer
        what = f"is about {answered[:20]!r}" if isinstance(answered, str) else "does not say which symbol it is about"
        raise ParseError(SOURCE, symbol, f"the chart {what}, not the symbol asked: not taken", status)
    tz_name = meta.get("exchangeTimezoneName")
    try:
        tz = ZoneInfo(tz_name) if tz_name else timezone(timedelta(seconds=int(meta.get("gmtoffset", 0))))
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ParseError(SOURCE, symbol, f"unknown exchange time zone {str(tz_name)[:40]!r}") from None
    stamps = result.get("timestamp")
    if stamps is None:  # the real service omits the key for an empty range
        return ParsedChart(symbol, meta.get("currency"), str(tz_name), [], 0)
    try:
        quote = result["indicators"]["quote"][0]
        adj = result["indicators"].get("adjclose", [{}])[0].get("adjclose")
    except (KeyError, IndexError, TypeError, AttributeError):
        raise ParseError(SOURCE, symbol, "answer has no indicators.quote") from None
    if adj is None:
        adj = quote.get("close")  # indices are sent without adjclose by some endpoints: close is adjusted
    columns = {
        "open": quote.get("open"),
        "high": quote.get("high"),
        "low": quote.get("low"),
        "close": quote.get("close"),
        "adj_close": adj,
        "volume": quote.get("volume"),
    }
    for name, values in columns.items():
        if not isinstance(values, list) or len(values) != len(stamps):
            raise ParseError(SOURCE, symbol, f"field {name!r} does not line up with {len(stamps)} timestamps")

    rows, seen, dropped = [], {}, 0
    for i, stamp in enumerate(stamps):
        if not isinstance(stamp, (int, float)) or isinstance(stamp, bool):
            raise ParseError(SOURCE, symbol, f"timestamp #{i} is not a number: {str(stamp)[:20]!r}")
        day = datetime.fromtimestamp(stamp, tz).date()
        bar = {name: columns[name][i] for name in columns}
        prices = {k: bar[k] for k in PRICE_FIELDS}
        if all(v is None for v in prices.values()):
            dropped += 1
            continue
        for name, value in prices.items():
            if value is None:
                if name in ("close", "adj_close"):
                    raise ParseError(SOURCE, symbol, f"{day}: {name} is null while other prices are set")
                continue
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
                raise ParseError(SOURCE, symbol, f"{day}: {name} is not a finite number: {str(value)[:20]!r}")
            if value <= 0:
                raise ParseError(SOURCE, symbol, f"{day}: non-positive {name} {value}")
        if day in seen:
            raise ParseError(SOURCE, symbol, f"{day}: duplicate date (timestamps {seen[day]} and {stamp})")
        seen[day] = stamp
        volume = bar["volume"]
        if volume is not None and (
            not isinstance(volume, (int, float)) or isinstance(volume, bool) or not math.isfinite(volume) or volume < 0
        ):
            raise ParseError(SOURCE, symbol, f"{day}: bad volume {str(volume)[:20]!r}")
        rows.append(
            {
                "symbol": symbol,
                "trade_date": day,
                "open": _f(bar["open"]),
                "high": _f(bar["high"]),
                "low": _f(bar["low"]),
                "close": float(bar["close"]),
                "adj_close": float(bar["adj_close"]),
                "volume": int(volume) if volume is not None else None,
            }
        )
    return ParsedChart(symbol, meta.get("currency"), str(tz_name), rows, dropped)


def _f(value):
    return float(value) if value is not None else None
