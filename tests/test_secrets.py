"""COMTRADE_API_KEY never leaves the process: after a live refresh that used it (the keyed endpoint, with one query
failing so error paths run too), no file the run wrote and nothing it printed contains it."""

import shutil

import pytest

from .conftest import chipwatch_env, run_chipwatch

SECRET = "cw-test-key-5f1e9c0b7a"


@pytest.mark.integration  # a keyed live refresh
def test_the_comtrade_key_appears_nowhere(live_warehouse, replay_server, tmp_path):
    source_home, env, _ = live_warehouse
    home = tmp_path / "home"
    shutil.copytree(source_home, home)
    env = {**env, **chipwatch_env(home), "COMTRADE_API_KEY": SECRET, "CHIPWATCH_HTTP_RETRIES": "0"}
    replay_server.control(garble=["flowCode=X:html"])
    replay_server.clear_log()
    try:
        proc = run_chipwatch("refresh", env=env)
    finally:
        replay_server.control()
    assert proc.returncode == 1, proc.stdout + proc.stderr  # the exports queries failed
    assert any(r["path"].startswith("/data/v1/get/") for r in replay_server.log())  # the keyed endpoint was used
    assert SECRET not in proc.stdout + proc.stderr
    written = [p for folder in (home, home.parent / "dagster_home") for p in folder.rglob("*") if p.is_file()]
    assert len(written) > 50
    leaked = [str(p) for p in written if SECRET.encode() in p.read_bytes()]
    assert leaked == []


def test_redaction_covers_the_key_from_the_environment_and_a_key_given_to_a_client(monkeypatch):
    from pipelines.lib import redaction
    from pipelines.lib.errors import ParseError

    monkeypatch.setenv("COMTRADE_API_KEY", SECRET)
    given = "cw-given-key-77c2d0e4"
    redaction.register(given)
    text = f"echoed {SECRET} and {given}"
    assert redaction.redact(text) == "echoed [redacted] and [redacted]"
    assert redaction.redact_bytes(text.encode()) == b"echoed [redacted] and [redacted]"
    assert SECRET not in str(ParseError("comtrade", "q", f"body starts {SECRET!r}"))
    assert redaction.redact(None) is None and redaction.redact("no key here") == "no key here"
