"""Every mart built on Spark equals the DuckDB build, row for row (floating-point cells to 1e-9, relative)."""

import duckdb
import pytest

from tests.engines import DEFAULT_TOLERANCE, compare_rows

from .conftest import COMPARISONS, mart_names

MARTS = mart_names()


def _rows(con, sql, params=()):
    cursor = con.execute(sql, list(params))
    return [d[0] for d in cursor.description], cursor.fetchall()


def test_spark_ran_every_model_seed_and_test_without_error(engine_builds):
    for mode, build in engine_builds.items():
        statuses = {r["status"] for r in build["results"]["results"]}
        assert statuses <= {"success", "pass"}, (mode, statuses)
        kinds = {r["unique_id"].split(".")[0] for r in build["results"]["results"]}
        assert {"model", "seed", "test", "unit_test"} <= kinds, (mode, kinds)


def test_spark_built_exactly_the_marts_duckdb_published(engine_builds):
    for mode, build in engine_builds.items():
        with duckdb.connect(str(build["home"] / "chipwatch.duckdb"), read_only=True) as con:
            published = {
                r[0]
                for r in con.execute(
                    "select table_name from information_schema.tables where table_schema = 'marts'"
                ).fetchall()
            }
        on_spark = {p.name for p in (build["spark"].warehouse / "marts.db").iterdir() if p.is_dir()}
        assert published == on_spark == set(MARTS), mode


@pytest.mark.parametrize("mart", MARTS)
def test_mart_is_equal_on_both_engines(engine_builds, mart):
    for mode, build in engine_builds.items():
        with duckdb.connect(str(build["home"] / "chipwatch.duckdb"), read_only=True) as con:
            # names come from the manifest and are checked against the catalog: quoted, never user input
            assert (
                con.execute(
                    "select count(*) from information_schema.tables where table_schema = 'marts' and table_name = ?",
                    [mart],
                ).fetchone()[0]
                == 1
            )
            left_columns, left = _rows(con, f'select * from marts."{mart}"')
        with duckdb.connect() as con:
            files = str(build["spark"].mart_location(mart) / "*.parquet")
            right_columns, right = _rows(con, "select * from read_parquet(?)", [files])
        result = compare_rows(mart, left_columns, left, right_columns, right, tolerance=DEFAULT_TOLERANCE)
        COMPARISONS.append((mode, result))
        assert result.equal, "\n".join([f"{mode}:"] + result.problems)
        assert result.left_rows > 0, f"{mode}: {mart} is empty on both engines, so equal proves nothing"
