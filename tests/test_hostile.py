"""Hostile input: `chipwatch query` cannot change anything or reach outside the published file, and names that end up
in file paths cannot leave $CHIPWATCH_HOME."""

import duckdb
import pytest

from pipelines.lib import landing
from pipelines.lib.errors import ChipwatchError

from .conftest import chipwatch_env, run_chipwatch

WRITES = [
    "insert into marts.t values (2)",
    "create table marts.u as select 1",
    "drop table marts.t",
    "attach '{tmp}/evil.duckdb' as evil",
    "copy marts.t to '{tmp}/evil.csv'",
    "export database '{tmp}/evil_export'",
    "install httpfs",
    "load httpfs",
    "pragma memory_limit = '1GB'",
    "set enable_external_access = true",
    "select * from read_csv('/etc/passwd')",
    "select 1; drop table marts.t",
]


@pytest.fixture
def published(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    con = duckdb.connect(str(home / "chipwatch.duckdb"))
    con.execute("create schema marts; create table marts.t as select 1 as x")
    con.close()
    return home


@pytest.mark.parametrize("sql", WRITES)
def test_query_refuses_every_write_and_every_file_outside(published, tmp_path, sql):
    before = (published / "chipwatch.duckdb").read_bytes()
    proc = run_chipwatch("query", sql.format(tmp=tmp_path), env=chipwatch_env(published))
    assert proc.returncode != 0, proc.stdout
    assert proc.stderr.startswith("chipwatch query:")
    assert (published / "chipwatch.duckdb").read_bytes() == before
    assert not list(tmp_path.glob("evil*"))
    assert run_chipwatch(
        "query", "select count(*) as n from marts.t", "--format", "csv", env=chipwatch_env(published)
    ).stdout.splitlines() == ["n", "1"]


@pytest.mark.parametrize("name", ["../../etc/passwd", "..", ".", "", ".hidden", "a/../../b", "NV\x00DA"])
def test_item_names_never_become_paths_outside_the_raw_zone(tmp_path, name):
    try:
        safe = landing.safe_name(name)
    except ChipwatchError:
        return
    assert "/" not in safe and "\x00" not in safe and not safe.startswith(".")
    assert (tmp_path / safe).resolve().parent == tmp_path.resolve()


def test_a_10kb_item_name_is_cut_to_a_short_file_name():
    assert len(landing.safe_name("A" * 10_000)) <= 80
