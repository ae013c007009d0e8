"""Publishing is atomic, readable by DuckDB 1.x (storage v1.0.0), and never disturbs or is blocked by readers."""

import os
import stat
import subprocess
import sys

import duckdb
import pytest

from pipelines.lib.errors import PublishError
from pipelines.lib.publish import publish, storage_version


def build(path, rows):
    con = duckdb.connect(str(path))
    con.execute("create schema if not exists marts")
    con.execute("create or replace table marts.fct_x as select range as i from range(?)", [rows])
    con.close()


def test_only_the_marts_are_published_with_their_comments_and_nothing_names_a_build_path(tmp_path):
    build(tmp_path / "build.duckdb", 3)
    con = duckdb.connect(str(tmp_path / "build.duckdb"))
    con.execute("comment on column marts.fct_x.i is 'a counter'")
    for schema in ("staging", "intermediate", "seeds"):
        con.execute(f"create schema {schema}")
    parquet = tmp_path / "raw.parquet"
    con.execute(f"copy (select 1 as a) to '{parquet}'")
    con.execute(f"create view staging.stg_x as select * from read_parquet('{parquet}')")
    con.execute("create table intermediate.int_x as select 1 as a")
    con.execute("create table seeds.seed_x as select 1 as a")
    con.close()
    assert publish(tmp_path / "build.duckdb", tmp_path / "pub.duckdb") == {"marts.fct_x": 3}
    pub = duckdb.connect(str(tmp_path / "pub.duckdb"), read_only=True)
    schemas = {r[0] for r in pub.execute("select schema_name from duckdb_schemas() where not internal").fetchall()}
    assert schemas == {"marts"}
    assert pub.execute("select count(*) from duckdb_views() where not internal").fetchone()[0] == 0
    assert pub.execute("select comment from duckdb_columns() where table_name = 'fct_x'").fetchone()[0] == "a counter"
    pub.close()
    assert str(tmp_path).encode() not in (tmp_path / "pub.duckdb").read_bytes()


def test_exports_are_readable_like_the_database_file(tmp_path):
    from pipelines.lib.publish import export_marts

    build(tmp_path / "build.duckdb", 3)
    previous = os.umask(0o022)
    try:
        publish(tmp_path / "build.duckdb", tmp_path / "pub.duckdb")
        written = export_marts(tmp_path / "pub.duckdb", tmp_path / "exports")
        csv_written = export_marts(tmp_path / "pub.duckdb", tmp_path / "csv", fmt="csv")
        os.umask(0o027)
        tighter = export_marts(tmp_path / "pub.duckdb", tmp_path / "tighter")
    finally:
        os.umask(previous)
    mode = lambda path: stat.S_IMODE(path.stat().st_mode)  # noqa: E731
    assert mode(tmp_path / "pub.duckdb") == 0o644
    assert {mode(p) for p in [*written.values(), *csv_written.values()]} == {0o644}
    assert {mode(p) for p in tighter.values()} == {0o640}


def test_publish_copies_every_table_in_a_storage_version_duckdb_1x_reads(tmp_path):
    build(tmp_path / "build.duckdb", 1000)
    counts = publish(tmp_path / "build.duckdb", tmp_path / "pub.duckdb")
    assert counts == {"marts.fct_x": 1000}
    assert storage_version(tmp_path / "build.duckdb").startswith("v2")
    assert storage_version(tmp_path / "pub.duckdb").startswith("v1.0")
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".publish-")]


def test_a_reader_holding_the_file_keeps_its_snapshot_and_new_readers_see_the_new_one(tmp_path):
    build(tmp_path / "build.duckdb", 10)
    publish(tmp_path / "build.duckdb", tmp_path / "pub.duckdb")
    reader = duckdb.connect(str(tmp_path / "pub.duckdb"), read_only=True)
    assert reader.execute("select count(*) from marts.fct_x").fetchone()[0] == 10
    build(tmp_path / "build.duckdb", 20)
    publish(tmp_path / "build.duckdb", tmp_path / "pub.duckdb")  # not blocked by the open reader
    assert reader.execute("select count(*) from marts.fct_x").fetchone()[0] == 10
    # a new reader is a new process (within one process DuckDB hands back the instance already open)
    code = "import duckdb,sys; print(duckdb.connect(sys.argv[1], read_only=True).execute('select count(*) from marts.fct_x').fetchone()[0])"
    fresh = subprocess.run([sys.executable, "-c", code, str(tmp_path / "pub.duckdb")], capture_output=True, text=True)
    assert fresh.stdout.strip() == "20", fresh.stderr
    reader.close()


def test_a_failed_publish_leaves_the_published_file_byte_identical(tmp_path):
    build(tmp_path / "build.duckdb", 5)
    publish(tmp_path / "build.duckdb", tmp_path / "pub.duckdb")
    before = (tmp_path / "pub.duckdb").read_bytes()
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    with pytest.raises(PublishError, match="no tables in schema"):
        publish(empty, tmp_path / "pub.duckdb")
    with pytest.raises(PublishError, match="does not exist"):
        publish(tmp_path / "missing.duckdb", tmp_path / "pub.duckdb")
    assert (tmp_path / "pub.duckdb").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build.duckdb", "empty.duckdb", "pub.duckdb"]


# -- the publish record (issue 30) -----------------------------------------------------------------------------------


def test_each_publish_step_is_recorded_when_done_and_only_lagging_steps_are_redone(tmp_path):
    from pipelines.lib.publish import lagging, publish_lagging, read_record

    build(tmp_path / "build.duckdb", 5)
    record, pub, exports, report = (
        tmp_path / "published.json",
        tmp_path / "pub.duckdb",
        tmp_path / "exports",
        tmp_path / "report.html",
    )
    calls = []

    def failing_report(db, out):
        calls.append(out)
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        publish_lagging(tmp_path / "build.duckdb", "run-1", record, pub, exports, (report, failing_report))
    # the database and the exports are recorded as build run-1; the report is not
    assert read_record(record)["database"]["build"] == "run-1" and read_record(record)["exports"]["build"] == "run-1"
    assert lagging(read_record(record), "run-1", pub, exports, report) == ["report"]
    published_at = pub.stat().st_mtime_ns
    done = publish_lagging(
        tmp_path / "build.duckdb", "run-1", record, pub, exports, (report, lambda db, out: out.write_text("ok"))
    )
    assert done["done"] == ["report"] and pub.stat().st_mtime_ns == published_at  # not published again
    assert lagging(read_record(record), "run-1", pub, exports, report) == []
    # an export changed or removed behind the record's back lags; a new build makes every step lag
    (exports / "fct_x.parquet").unlink()
    assert lagging(read_record(record), "run-1", pub, exports, report) == ["exports"]
    assert lagging(read_record(record), "run-2", pub, exports, report) == ["database", "exports", "report"]
    assert lagging(read_record(record), None, pub, exports, report) == []  # no complete build: nothing to publish
    assert lagging({}, "run-1", pub, exports, None) == ["database", "exports"]  # no record: everything lags


def test_a_dead_publishs_temporary_copy_is_removed_and_a_live_ones_kept(tmp_path):
    from pipelines.lib.publish import clean_stale_publish_files

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (tmp_path / f".publish-{dead.pid}-abcdef012345.duckdb").write_bytes(b"x")
    (tmp_path / f".publish-{dead.pid}-abcdef012345.duckdb.wal").write_bytes(b"x")
    live = tmp_path / f".publish-{os.getppid()}-abcdef012345.duckdb"
    live.write_bytes(b"x")
    assert clean_stale_publish_files(tmp_path) == 2
    assert [p.name for p in tmp_path.iterdir()] == [live.name]


def test_a_build_that_lacks_a_contracted_mart_or_column_is_not_published(tmp_path):
    """Publish checks the full contracted mart set (the dbt manifest's), not only that the schema has some table."""
    build(tmp_path / "build.duckdb", 3)
    publish(tmp_path / "build.duckdb", tmp_path / "pub.duckdb", expected_marts={"fct_x": ["i"]})
    before = (tmp_path / "pub.duckdb").read_bytes()
    with pytest.raises(PublishError, match=r"lacks 1 of the 2 contracted marts \(fct_y\)"):
        publish(tmp_path / "build.duckdb", tmp_path / "pub.duckdb", expected_marts={"fct_x": ["i"], "fct_y": ["a"]})
    with pytest.raises(PublishError, match=r"marts.fct_x does not match its contract \(columns j, \+i\)"):
        publish(tmp_path / "build.duckdb", tmp_path / "pub.duckdb", expected_marts={"fct_x": ["j"]})
    assert (tmp_path / "pub.duckdb").read_bytes() == before
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".publish-")]
