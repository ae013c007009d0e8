"""The project's own stand-in for the web services, on 127.0.0.1, serving the bundled sample (pipelines/sample/).

Tests start it when ../shared/replay/server.py (real recorded data) is not beside the project. It answers the paths
the live clients call, in the services' shapes, from the SYNTHETIC sample the offline mode uses (Yahoo, Epoch and
French through the lib's Sample*Client classes; the HTTP side is the standard library's):

  Yahoo chart v8   GET /v8/finance/chart/<SYMBOL>?period1=&period2=&interval=1d   (404 + Yahoo's error body if unknown)
  Epoch AI         GET <any *.csv path containing "hardware">; GET <any *.csv path containing "cluster" or
                   "supercomputer"> (the synthetic clusters sample)
  Kenneth French   GET <any path ending in F-F_Research_Data_Factors_daily_CSV.zip or F-F_Momentum_Factor_daily_CSV.zip>
                   (the synthetic sample zips, pipelines/sample/french/)
  UN Comtrade v1   GET /public/v1/preview/C/<A|M>/HS?...   (at most 500 records)
                   GET /data/v1/get/C/<A|M>/HS?...         (401 without the Ocp-Apim-Subscription-Key header)
                   records filtered by reporterCode, partnerCode, partner2Code, flowCode, cmdCode, period, ...

Faults, set with POST /__control__ {"fail_first": "N:STATUS", "fail": [...], "slow": [...], "garble": [...]}
({} clears all), as the replay server takes them; PATTERN matches anywhere in the request's path and query string:
  fail_first N[:STATUS]   each distinct URL answers STATUS (default 503) N times, then normally
  fail PATTERN:STATUS     matching URLs answer STATUS
  slow PATTERN:SECONDS    matching URLs wait SECONDS before answering
  garble PATTERN:KIND     matching URLs get a broken 200 body: truncated, html, empty, nodata (Comtrade: no
                          records), or (Yahoo charts) othersymbol (labelled as another listing), nulls, negative,
                          duplicate
GET /__log__ lists every request ({method, path, query}); DELETE /__log__ clears it.

    .venv/bin/python tests/standin_server.py --port 0 --port-file URL_FILE    # prints READY http://127.0.0.1:PORT
"""

import argparse
import functools
import gzip
import json
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from anywhere: import pipelines.lib
from pipelines.lib import comtrade, epoch, french, yahoo  # noqa: E402
from pipelines.lib.errors import ChipwatchError  # noqa: E402

HTML = b"<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>Please wait</body></html>"
COMTRADE_FILTERS = (
    "reporterCode",
    "partnerCode",
    "partner2Code",
    "flowCode",
    "cmdCode",
    "period",
    "customsCode",
    "motCode",
)


class Faults:
    def __init__(self):
        self.lock = threading.Lock()
        self.set({})

    def set(self, config: dict) -> None:
        def rules(key, cast):  # ["PATTERN:VALUE", ...] -> [(PATTERN, VALUE), ...]
            pairs = (str(rule).rpartition(":") for rule in config.get(key) or [])
            return [(pattern, cast(value)) for pattern, _, value in pairs]

        count, _, status = str(config.get("fail_first") or "0").partition(":")
        settings = (int(count), int(status or 503)), rules("fail", int), rules("slow", float), rules("garble", str)
        with self.lock:  # all or nothing: a bad setting leaves the previous ones
            self.fail_first, self.fail, self.slow, self.garble = settings
            self.answered = {}  # URL -> requests seen, for fail_first

    def for_url(self, url: str) -> tuple[int | None, float, str | None]:
        """(status to answer instead, seconds to wait, garble kind) for one request."""
        with self.lock:
            delay = sum(seconds for pattern, seconds in self.slow if pattern in url)
            kind = next((k for pattern, k in self.garble if pattern in url), None)
            status = next((s for pattern, s in self.fail if pattern in url), None)
            if status is None:
                seen = self.answered[url] = self.answered.get(url, 0) + 1
                if seen <= self.fail_first[0]:
                    status = self.fail_first[1]
            return status, delay, kind


def chart(symbol: str, query: dict) -> tuple[int, bytes]:
    if query.get("interval", "1d") != "1d":
        return 400, json.dumps(
            {
                "chart": {
                    "result": None,
                    "error": {"code": "Bad Request", "description": "the stand-in has daily bars only"},
                }
            }
        ).encode()
    # the live client asks whole UTC days: [period1, period2) is [start 00:00, end + 1 day 00:00)
    first = datetime.fromtimestamp(int(query.get("period1", 0)), UTC).date()
    last = datetime.fromtimestamp(int(query.get("period2", 2**31)), UTC).date() - timedelta(days=1)
    payload = yahoo.SampleYahooClient().fetch_chart(symbol, first, last)
    return payload.status, payload.body


@functools.cache
def comtrade_records() -> dict[tuple, list[dict]]:
    """The sample's (file position, record) pairs by (frequency, period): the client asks ~600 queries, each naming
    its periods, so an answer looks only at those (in file order, as a scan of the file would)."""
    by_period = {}
    with gzip.open(comtrade.SAMPLE_FILE, "rt") as fh:
        for position, record in enumerate(map(json.loads, filter(str.strip, fh))):
            by_period.setdefault((record["freqCode"], str(record["period"])), []).append((position, record))
    return by_period


def comtrade_answer(path: str, query: dict, headers) -> tuple[int, bytes]:
    # not SampleComtradeClient: the service filters by whichever parameters a request has, and only the preview caps
    type_code, freq = path.strip("/").split("/")[-3:-1]
    keyed = path.startswith("/data/")
    if keyed and not headers.get("Ocp-Apim-Subscription-Key"):
        return 401, b'{"statusCode": 401, "message": "Access denied due to missing subscription key."}'
    wanted = {name: query[name].split(",") for name in COMTRADE_FILTERS if query.get(name)}
    records = comtrade_records()
    periods = wanted["period"] if "period" in wanted else [p for f, p in records if f == freq]
    candidates = sorted(pr for period in set(periods) for pr in records.get((freq, period), ()))
    data = [
        r
        for _, r in candidates
        if r["typeCode"] == type_code and all(str(r.get(name)) in values for name, values in wanted.items())
    ]
    data = data if keyed else data[: comtrade.PREVIEW_CAP]
    return 200, json.dumps({"elapsedTime": "0.01 secs", "count": len(data), "data": data, "error": ""}).encode()


def garble(body: bytes, kind: str | None, is_chart: bool) -> bytes:
    if kind == "truncated":
        return body[: len(body) // 2]
    if kind == "html":
        return HTML
    if kind == "empty":
        return b""
    if kind == "nodata" and not is_chart:  # Comtrade: a valid answer with no records
        return json.dumps({"elapsedTime": "0.01 secs", "count": 0, "data": [], "error": ""}).encode()
    if not is_chart or kind not in ("nulls", "negative", "duplicate", "othersymbol"):
        return body
    doc = json.loads(body)
    result = doc["chart"]["result"][0]
    if kind == "othersymbol":  # labelled as another listing, as a misrouted cache's answer is
        result["meta"]["symbol"] = "AMD" if result["meta"].get("symbol") != "AMD" else "NVDA"
        return json.dumps(doc).encode()
    quote, adj = result["indicators"]["quote"][0], result["indicators"]["adjclose"][0]
    close = quote["close"]
    if kind == "nulls":  # some closes null while the other prices of those bars are set
        close[::7] = [None] * len(close[::7])
    elif kind == "negative" and close:
        close[len(close) // 2] = -abs(close[len(close) // 2] or 1.0)
    elif kind == "duplicate" and close:  # the first bar sent twice
        for series in [result["timestamp"], adj["adjclose"], *quote.values()]:
            series.insert(1, series[0])
    return json.dumps(doc).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "chipwatch-standin/1"

    def log_message(self, *args):  # requests are kept in GET /__log__ instead
        pass

    def do_POST(self):
        if not self.path.startswith("/__control__"):
            return self.answer(404, b'{"error": "no such path"}')
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            self.server.faults.set(json.loads(body or b"{}"))
        except (ValueError, TypeError, AttributeError) as exc:
            return self.answer(400, json.dumps({"error": f"bad fault settings: {exc}"}).encode())
        self.answer(200, b"{}")

    def do_DELETE(self):
        if not self.path.startswith("/__log__"):
            return self.answer(404, b'{"error": "no such path"}')
        with self.server.lock:
            self.server.log.clear()
        self.answer(200, b"{}")

    def do_GET(self):
        url = urlsplit(self.path)
        path = unquote(url.path)
        if path == "/__log__":
            with self.server.lock:
                return self.answer(200, json.dumps(self.server.log).encode())
        query = {k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        with self.server.lock:
            self.server.log.append({"method": "GET", "path": path, "query": query})
        status, delay, kind = self.server.faults.for_url(self.path)
        time.sleep(delay)
        if status is not None:
            return self.answer(status, json.dumps({"error": f"stand-in fault: HTTP {status}"}).encode())
        ctype = "application/json;charset=utf-8"
        try:
            if path.startswith("/v8/finance/chart/"):
                status, body = chart(path.rsplit("/", 1)[1], query)
            elif path.startswith(("/public/v1/preview/", "/data/v1/get/")):
                status, body = comtrade_answer(path, query, self.headers)
            elif path.endswith(".csv") and "hardware" in path:
                status, body, ctype = 200, epoch.SampleEpochClient().fetch_hardware().body, "text/csv"
            elif path.endswith(".csv") and ("cluster" in path or "supercomputer" in path):
                status, body, ctype = 200, epoch.SampleEpochClient().fetch_clusters().body, "text/csv"
            elif dataset := next((d for d in french.DATASETS if path.endswith("/" + d.zip_name)), None):
                status, body = 200, french.SampleFrenchClient().fetch(dataset).body
                ctype = "application/x-zip-compressed"
            else:
                status, body = 404, b'{"error": "no such path"}'
        except (ValueError, ChipwatchError) as exc:  # a malformed period, symbol or path
            status, body = 400, json.dumps({"error": str(exc)}).encode()
        if status == 200 and kind:
            body = garble(body, kind, path.startswith("/v8/"))
            ctype = "text/html" if kind == "html" else ctype
        self.answer(status, body, ctype)

    def answer(self, status: int, body: bytes, ctype: str = "application/json;charset=utf-8") -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (a "slow" fault): nothing to tell it
            pass


def main() -> int:
    ap = argparse.ArgumentParser(description="The project's stand-in for the web services (bundled sample data).")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file", help="write http://127.0.0.1:PORT here once listening")
    args = ap.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    server.faults, server.log, server.lock = Faults(), [], threading.Lock()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    if args.port_file:
        Path(args.port_file).write_text(url + "\n")
    print("READY", url, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
