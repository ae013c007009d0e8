"""The SQL distribution functions (dbt_project/macros/statistics.sql) against scipy.stats, over a grid.

The macros are compiled by dbt itself and run in DuckDB on a grid of statistics and degrees of freedom; the
accuracy their comments claim is what is asserted.
"""

import duckdb
import numpy as np
import pytest
from dbt.cli.main import dbtRunner
from scipy import stats

from .conftest import ROOT

DBT = ROOT / "dbt_project"


@pytest.fixture(scope="module")
def compiled(tmp_path_factory):
    """The SQL the macros expand to, applied to a table `grid(x, df)`: the Student t p-value in the two steps the
    models use (the normal deviate of t, then its normal tail)."""
    sql = (
        "select x, df, {{ normal_two_sided_p('x') }} as normal_p, {{ normal_two_sided_p('t_deviate') }} as t_p, "
        "{{ student_t_975('df') }} as t_975, {{ student_t_two_sided_p('t_deviate', 'theta', 'df') }} as t_p_any_df "
        "from (select grid.*, {{ student_t_normal_deviate('grid.x', 'grid.df') }} as t_deviate, "
        "{{ student_t_theta('grid.x', 'grid.df') }} as theta from grid) as grid"
    )
    target = tmp_path_factory.mktemp("stats-target")
    with pytest.MonkeyPatch.context() as mp:  # compile opens the build database: a scratch one
        mp.setenv("CHIPWATCH_BUILD_DB", str(target / "scratch.duckdb"))
        result = dbtRunner().invoke(
            [
                "compile",
                "--inline",
                sql,
                "--project-dir",
                str(DBT),
                "--profiles-dir",
                str(DBT),
                "--target-path",
                str(target),
                "--quiet",
            ]
        )
    assert result.success, result.exception
    return result.result.results[0].node.compiled_code


def evaluate(compiled_sql: str, xs, dfs):
    con = duckdb.connect()
    con.execute("create table grid (x double, df integer)")
    con.executemany("insert into grid values (?, ?)", [(float(x), int(d)) for x in xs for d in dfs])
    return con.execute(compiled_sql).fetchall()


def test_normal_p_values_are_within_1e_15_absolute_and_1e_8_relative(compiled):
    rows = evaluate(compiled, np.linspace(-40, 40, 1601), [200])
    for x, _, p, _, _, _ in rows:
        expected = 2 * stats.norm.sf(abs(x))
        assert p == pytest.approx(expected, abs=1e-15, rel=1e-8), x


@pytest.mark.parametrize("df", [9, 10, 20, 60, 118, 198, 500, 5000])
def test_student_t_p_values_are_within_1e_8_of_scipy(compiled, df):
    rows = evaluate(compiled, np.linspace(0, 12, 481), [df])
    worst = max(abs(p - 2 * stats.t.sf(abs(x), d)) for x, d, _, p, _, _ in rows)
    assert worst < 1e-8, (df, worst)


def test_student_t_p_values_are_null_below_9_degrees_of_freedom(compiled):
    assert all(p is None for _, _, _, p, _, _ in evaluate(compiled, [1.0, 2.5], [2, 8]))


def test_the_975_quantile_is_scipy_s_below_30_degrees_of_freedom_and_within_4e_8_from_30(compiled):
    rows = evaluate(compiled, [0.0], list(range(0, 1001)))
    for _, df, _, _, q, _ in rows:
        if df < 1:
            assert q is None
        else:
            assert q == pytest.approx(stats.t.ppf(0.975, df), abs=1e-12 if df < 30 else 4e-8), df


@pytest.mark.parametrize("df", [1, 2, 3, 4, 5, 6, 7, 8])
def test_student_t_p_values_below_9_degrees_of_freedom_are_exact(compiled, df):
    """The pooled tests across a handful of events: Abramowitz and Stegun's finite series, against scipy."""
    rows = evaluate(compiled, np.linspace(-60, 60, 961), [df])
    worst = max(abs(p - 2 * stats.t.sf(abs(x), d)) for x, d, _, _, _, p in rows)
    assert worst < 1e-12, (df, worst)


@pytest.mark.parametrize("df", [9, 30, 500])
def test_the_any_df_p_value_is_hill_s_from_9_degrees_of_freedom(compiled, df):
    rows = evaluate(compiled, np.linspace(0, 12, 97), [df])
    assert all(p == hill for _, _, _, hill, _, p in rows)
    assert evaluate(compiled, [1.0], [0])[0][5] is None


def test_the_signed_rank_normal_approximation_is_scipy_s(tmp_path):
    """signed_rank_normal_z, for families of more than 15 events: against scipy.stats.wilcoxon(method='approx',
    correction=False) on values 1..n whose positive ones have ranks summing to W+."""
    target = tmp_path / "target"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CHIPWATCH_BUILD_DB", str(tmp_path / "scratch.duckdb"))
        result = dbtRunner().invoke(
            [
                "compile",
                "--inline",
                "select w, n, {{ normal_two_sided_p(signed_rank_normal_z('w', 'n')) }} as p from grid",
                "--project-dir",
                str(DBT),
                "--profiles-dir",
                str(DBT),
                "--target-path",
                str(target),
                "--quiet",
            ]
        )
    assert result.success, result.exception
    cases = [(w, n) for n in (16, 20, 42, 60) for w in range(0, n * (n + 1) // 2 + 1, 7)]
    con = duckdb.connect()
    con.execute("create table grid (w integer, n integer)")
    con.executemany("insert into grid values (?, ?)", cases)
    for w, n, p in con.execute(result.result.results[0].node.compiled_code).fetchall():
        positive, left = [], w  # ranks 1..n: take the largest that fit, so the positive ranks sum to w
        for rank in range(n, 0, -1):
            if rank <= left:
                positive.append(rank)
                left -= rank
        values = [r if r in positive else -r for r in range(1, n + 1)]
        expected = stats.wilcoxon(values, method="approx", correction=False).pvalue
        assert p == pytest.approx(expected, abs=1e-12), (w, n)
