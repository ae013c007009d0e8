"""Secrets, files and errors a person can read: the key stays with Comtrade's host and out of every stored message,
--out writes only regular files, CSV cells cannot run as spreadsheet formulas, `query` writes no file, and the CLI
answers bad input, unwritable targets and a closed pipe with one line and its own exit code (pipelines/cli.py)."""

import os
import resource
import stat
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest

from pipelines import cli
from pipelines.lib import comtrade, comtrade_landing, http, refreshes
from pipelines.lib.config import load_settings
from pipelines.lib.csv_safety import neutralise
from pipelines.lib.errors import FetchError

from .conftest import ROOT, chipwatch_env

SECRET = "cw-safety-key-9d4e7a1b2c"
QUERY = comtrade.Query("china_imports", "A", "M", (156,), (0,), ("8542",), ("2023",))
FORMULAS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


# -- servers ----------------------------------------------------------------------------------------------------------


class Server:
    """A tiny HTTP server on 127.0.0.1 in a thread that logs every request's headers and answers with `answer`."""

    def __init__(self, answer):
        log = self.log = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                log.append({"path": self.path, "headers": dict(self.headers)})
                status, headers, body = answer(self)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def servers():
    started = []
    yield lambda answer: started.append(Server(answer)) or started[-1]
    for server in started:
        server.close()


def _ok(handler):
    return 200, {"Content-Type": "application/json"}, b'{"count": 0, "data": [], "error": ""}'


def _keys_sent(server):
    return [
        value for r in server.log for name, value in r["headers"].items() if name.lower() == "ocp-apim-subscription-key"
    ]


# -- 3. secrets -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])  # another port of the same host; another host name
def test_a_redirect_to_another_origin_never_carries_the_comtrade_key(servers, host):
    other = servers(_ok)
    first = servers(lambda h: (302, {"Location": f"http://{host}:{other.port}{h.path}"}, b""))
    client = comtrade.ComtradeClient(
        f"http://127.0.0.1:{first.port}", session=http.make_session(retries=0), api_key=SECRET
    )
    payload = client.fetch(QUERY)
    assert payload.status == 200 and len(other.log) == 1  # the redirect was followed
    assert _keys_sent(first) == [SECRET]
    assert _keys_sent(other) == []


def test_a_redirect_within_the_same_origin_keeps_the_key(servers):
    def answer(h):
        return (302, {"Location": "/moved" + h.path}, b"") if not h.path.startswith("/moved") else _ok(h)

    server = servers(answer)
    client = comtrade.ComtradeClient(
        f"http://127.0.0.1:{server.port}", session=http.make_session(retries=0), api_key=SECRET
    )
    assert client.fetch(QUERY).status == 200
    assert _keys_sent(server) == [SECRET, SECRET]


def test_an_error_body_that_echoes_the_key_is_stored_and_reported_without_it(servers, home):
    def echo(h):  # a gateway error page that quotes the request's headers back
        key = h.headers.get("Ocp-Apim-Subscription-Key", "")
        return 403, {"Content-Type": "text/plain"}, f"denied {key}: quota exceeded for {key}".encode()

    server = servers(echo)
    settings = load_settings()
    client = comtrade.ComtradeClient(
        f"http://127.0.0.1:{server.port}", session=http.make_session(retries=0), api_key=SECRET
    )
    with pytest.raises(FetchError) as caught:
        comtrade_landing.fetch_query(settings, client, QUERY)
    assert _keys_sent(server) == [SECRET]  # the key was sent, and echoed back
    assert SECRET not in str(caught.value) and "[redacted]" in str(caught.value)
    attempt = refreshes.Attempt(refreshes.new_refresh_id(), "comtrade", "records", "live")
    refreshes.record(settings, attempt.fail(f"comtrade: {caught.value}", 1, {QUERY.label: str(caught.value)}))
    written = [p for p in home.rglob("*") if p.is_file()]
    assert any(p.suffix == ".body" for p in written) and any(p.suffix == ".parquet" for p in written)
    assert [p for p in written if SECRET.encode() in p.read_bytes()] == []


def test_a_failure_message_that_names_the_key_from_the_environment_is_recorded_redacted(home, monkeypatch):
    secret = "cw-env-key-31f0aa77"
    monkeypatch.setenv("COMTRADE_API_KEY", secret)
    settings = load_settings()
    with pytest.raises(RuntimeError):
        with refreshes.recording(settings, refreshes.new_refresh_id(), "comtrade", "records"):
            raise RuntimeError(f"proxy said: bad header Ocp-Apim-Subscription-Key={secret}")
    (row,) = refreshes.read(settings)
    assert secret not in row["error"] and "[redacted]" in row["error"]
    assert FetchError("comtrade", "x", f"echo {secret}").problem == "echo [redacted]"


# -- 3. files: --out writes regular files only --------------------------------------------------------------------


@pytest.fixture
def published(home):
    """A tiny published warehouse: one mart whose text cells start like formulas, beside numbers (negative too)."""
    home.mkdir(parents=True)
    con = duckdb.connect(str(home / "chipwatch.duckdb"))
    con.execute("create schema marts")
    con.execute("create table marts.t (name varchar, owner varchar, n integer, x double)")
    con.executemany(
        "insert into marts.t values (?, ?, ?, ?)",
        [(f, "ok", -5, -1.5) for f in FORMULAS]
        + [("plain", "-", 3, 2.0), (None, "a-b", None, None), ("x\r=1+1", "ok", 0, 0.0)],
    )
    con.close()
    return home


def run(capsys, *args):
    """pipelines.cli.main in this process: (exit code, stdout, stderr); a traceback fails the test."""
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str) -> bool:
    return err.count("\n") == 1 and err.endswith("\n") and "Traceback" not in err


def test_report_refuses_the_empty_path(published, capsys, tmp_path, monkeypatch):
    monkeypatch.setattr("pipelines.lib.report.render", lambda db: "<html>report</html>")
    monkeypatch.chdir(tmp_path)
    before = sorted(tmp_path.iterdir())
    code, _, err = run(capsys, "report", "--out", "")
    assert code == 6 and one_line(err) and "--out" in err
    assert sorted(tmp_path.iterdir()) == before


def _device(tmp_path: Path) -> Path:
    """A null device: a private one when run as root, so a failing test never replaces /dev/null itself; else
    /dev/null, which only root could replace."""
    if os.geteuid() != 0:
        return Path(os.devnull)
    os.mknod(tmp_path / "null", 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    return tmp_path / "null"


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("kind", ["fifo", "device", "folder", "symlink to a fifo"])
def test_report_writes_only_a_regular_file(published, capsys, tmp_path, kind, monkeypatch):
    monkeypatch.setattr("pipelines.lib.report.render", lambda db: "<html>report</html>")
    if kind == "fifo":
        target = _fifo(tmp_path / "report.html")
    elif kind == "device":
        target = _device(tmp_path)
    elif kind == "folder":
        target = tmp_path / "reports"
        target.mkdir()
    else:
        target = tmp_path / "link.html"
        target.symlink_to(_fifo(tmp_path / "pipe"))
    mode = target.lstat().st_mode
    code, _, err = run(capsys, "report", "--out", str(target))
    assert code == 6 and one_line(err) and str(target) in err
    assert target.lstat().st_mode == mode  # the device, FIFO, folder or link is still what it was
    regular = tmp_path / "fine.html"  # and a regular file (new, then replaced) is written
    assert run(capsys, "report", "--out", str(regular))[0] == 0 and regular.read_text() == "<html>report</html>"
    assert run(capsys, "report", "--out", str(regular))[0] == 0


def test_export_refuses_a_folder_that_is_not_one_and_a_mart_file_that_is_a_fifo(published, capsys, tmp_path):
    code, _, err = run(capsys, "export", "--format", "csv", "--out", str(_device(tmp_path)))
    assert code == 6 and one_line(err)
    code, _, err = run(capsys, "export", "--format", "csv", "--out", "")
    assert code == 6 and one_line(err)
    out = tmp_path / "exports"
    out.mkdir()
    fifo = _fifo(out / "t.csv")
    code, _, err = run(capsys, "export", "--format", "csv", "--out", str(out))
    assert code == 6 and one_line(err) and "FIFO" in err
    assert stat.S_ISFIFO(fifo.lstat().st_mode)  # still a FIFO, not replaced by a file


def test_a_read_only_target_is_one_line_and_exit_6(published, capsys, tmp_path, monkeypatch):
    monkeypatch.setattr("pipelines.lib.report.render", lambda db: "<html>report</html>")
    if os.geteuid() == 0:  # root writes through file modes: /sys takes no new file from anyone
        if not Path("/sys").is_dir():
            pytest.skip("no /sys to stand for a read-only place")
        locked = Path("/sys")
    else:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o555)
    for args in (
        ("report", "--out", str(locked / "chipwatch-report.html")),
        ("export", "--format", "csv", "--out", str(locked / "chipwatch-exports")),
    ):
        code, _, err = run(capsys, *args)
        assert code == 6 and one_line(err) and "cannot write" in err, (args, err)


def test_a_full_target_is_one_line_and_exit_6(published, tmp_path):
    """A file-size limit stands in for a full disk: writes past it fail with an OSError (EFBIG) like ENOSPC does."""
    con = duckdb.connect(str(published / "chipwatch.duckdb"))
    con.execute("create table marts.big as select range as i, 'row ' || range as s from range(200000)")
    con.close()
    out = tmp_path / "exports"

    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (256 * 1024, 256 * 1024))

    proc = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "export", "--format", "csv", "--out", str(out)],
        env=chipwatch_env(published),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=limit,
    )
    assert proc.returncode == 6, proc.stderr[-2000:]
    assert one_line(proc.stderr) and "cannot write" in proc.stderr and "--out" in proc.stderr
    assert not (out / "big.csv").exists()  # never a partial file


# -- 3. CSV formula injection -----------------------------------------------------------------------------------------


def test_the_owasp_rule_on_single_cells():
    assert [neutralise(f) for f in FORMULAS] == ["'" + f for f in FORMULAS]
    assert [neutralise(v) for v in ("plain", "a-b", "", None, -5, -1.5, 0)] == ["plain", "a-b", "", None, -5, -1.5, 0]


def _csv_checks(text: str):
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text, newline="")))
    header, body = rows[0], rows[1:]
    number = lambda cell: float(cell) if cell else None  # noqa: E731 - pandas writes -5 as -5.0 beside a NULL
    cells = {(r[header.index("name")], number(r[header.index("n")])) for r in body}
    assert {("'" + f, -5) for f in FORMULAS} <= cells  # every formula quoted; the negative number is not
    assert ("plain", 3) in cells and ("x\r=1+1", 0) in cells  # a carriage return inside a cell starts no row
    assert not [
        c
        for r in body
        for c in r
        if c.startswith(("=", "+", "@", "\t", "\r")) or c.startswith("-") and number(c) is None
    ]
    assert {r[header.index("owner")] for r in body} == {"ok", "'-", "a-b"}
    assert {number(r[header.index("x")]) for r in body} >= {-1.5, 2.0}


def test_query_csv_neutralises_formula_cells(published, capsys):
    code, out, _ = run(capsys, "query", "select * from marts.t", "--format", "csv")
    assert code == 0
    _csv_checks(out)


def test_export_csv_neutralises_formula_cells(published, capsys, tmp_path):
    code, _, _ = run(capsys, "export", "--format", "csv", "--out", str(tmp_path / "exports"))
    assert code == 0
    with open(tmp_path / "exports" / "t.csv", newline="") as fh:
        _csv_checks(fh.read())
    con = duckdb.connect()  # the numbers read back as numbers
    assert con.execute(f"select count(*) from '{tmp_path / 'exports' / 't.csv'}' where n = -5").fetchone()[0] == 6
    assert con.execute(f"select count(*) from '{tmp_path / 'exports' / 't.csv'}'").fetchone()[0] == 9
    con.close()


def test_the_dashboard_csv_download_neutralises_formula_cells(published, monkeypatch, tmp_path):
    from contextlib import nullcontext

    monkeypatch.setenv("CHIPWATCH_HOME", str(tmp_path / "empty"))  # importing the app renders it: the no-warehouse page
    from pipelines.dashboard import app

    monkeypatch.setenv("CHIPWATCH_HOME", str(published))

    downloads = []

    class St:
        expander = staticmethod(lambda *a, **k: nullcontext())
        dataframe = code = caption = staticmethod(lambda *a, **k: None)
        download_button = staticmethod(lambda label, data, **k: downloads.append(data))

    monkeypatch.setattr(app, "st", St)
    con = duckdb.connect(str(published / "chipwatch.duckdb"), read_only=True)
    frame = con.execute("select * from marts.t").df()
    con.close()
    app.data_and_sql("t", frame, "select * from marts.t")
    _csv_checks(downloads[0])
    assert frame["name"].iloc[0] == FORMULAS[0]  # the table on screen is unchanged


# -- 3. query writes no file ------------------------------------------------------------------------------------------


def test_query_cannot_copy_into_duckdbs_temp_folder(published, capsys):
    temp = published / "chipwatch.duckdb.tmp"
    temp.mkdir()
    code, _, err = run(capsys, "query", f"COPY (select 1 as x) TO '{temp / 'x.csv'}'")
    assert code != 0 and one_line(err) and err.startswith("chipwatch query:")
    assert list(temp.iterdir()) == []
    code, out, _ = run(capsys, "query", "select count(*) as n from marts.t, range(1000)", "--format", "csv")
    assert code == 0 and out.splitlines() == ["n", "9000"]


# -- 4. errors a person can read ---------------------------------------------------------------------------------


def test_a_missing_sql_file_is_one_line_and_a_usage_error(published, capsys, tmp_path):
    code, _, err = run(capsys, "query", "--file", str(tmp_path / "missing.sql"))
    assert code == 5 and one_line(err) and "missing.sql" in err


@pytest.mark.parametrize("sql", ["", "   \n", "-- only a comment", "/* a block */ ;"])
def test_empty_or_comment_only_sql_is_one_line_and_a_usage_error(published, capsys, tmp_path, sql):
    code, _, err = run(capsys, "query", sql)
    assert code == 5 and one_line(err) and "no statement" in err
    (tmp_path / "q.sql").write_text(sql)
    assert run(capsys, "query", "--file", str(tmp_path / "q.sql"))[0] == 5


@pytest.mark.parametrize(
    "args", [["query", "--bogus"], ["export"], ["report"], ["frobnicate"], ["query", "x", "--format", "xml"]]
)
def test_usage_errors_exit_5_not_2(args, capsys):
    with pytest.raises(SystemExit) as caught:
        cli.main(args)
    assert caught.value.code == 5
    assert "Traceback" not in capsys.readouterr().err


def test_a_reader_that_closes_the_pipe_gets_one_line_and_exit_141(published):
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", "query", "select * from range(300000)"],
        env=chipwatch_env(published),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    proc.stdout.readline()
    proc.stdout.close()  # as `| head -1` does
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141
    assert one_line(err) and "broken pipe" in err, err


def test_status_shows_a_success_after_now_as_future_not_a_negative_age(home, capsys):
    settings = load_settings()
    attempt = refreshes.Attempt(refreshes.new_refresh_id(), "yahoo", "daily_bars", "sample")
    attempt.finished_at = datetime.now(UTC) + timedelta(days=2)  # then the clock moved back
    refreshes.record(settings, attempt.succeed(10, 1))
    cli.main(["status"])
    (line,) = [x for x in capsys.readouterr().out.splitlines() if x.startswith("yahoo.daily_bars")]
    cells = line.split()
    assert "future" in cells and "fresh" in cells
    assert not [c for c in cells if c.startswith("-") and c.endswith(("h", "d"))]  # no negative age


def test_the_exit_codes_and_the_csv_rule_are_documented():
    assert (cli.EXIT_USAGE, cli.EXIT_OUTPUT, cli.EXIT_BROKEN_PIPE) == (5, 6, 141)
    readme = (ROOT / "README.md").read_text()
    for text in (cli.__doc__, readme):
        for needle in ("5", "6", "141", "broken pipe", "formula"):
            assert needle in text
    assert "OWASP" in readme and "`5` bad usage" in readme and "`6` the output cannot be written" in readme
