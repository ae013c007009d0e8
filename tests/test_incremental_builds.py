"""Incremental builds equal full ones, bit for bit (issue 18; dbt_project/macros/incremental.sql).

On a copy of the sample's landed data, one build database goes through a full build and then several incremental
builds, each selecting what a refresh selects (the models downstream of the changed sources), while prices grow a
session at a time, a listing's history is revised (a dividend re-adjusts every earlier adjusted close), a benchmark's
history is fetched again and starts later, a listing's last bar disappears and a calendar loses a session that was an
event's t0. A second database is built in full from the final data. Every mart must be equal in both, and the
incremental builds must have recomputed only part of the event study. A copy of the first whose event study is rebuilt
by hand (`dbt build --full-refresh -s int_event_models_fitted+`) must equal them too."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv  # noqa: F401  (pa.csv)
import pyarrow.parquet as pq
import pytest

from pipelines.lib.config import DBT_PROJECT_DIR
from pipelines.lib.landing import safe_name

from .engines import compare_rows

DBT = str(Path(sys.executable).parent / "dbt")
PRICES = "source:yahoo.daily_bars+"
CALENDARS = "source:calendars.sessions+"


def dbt_build(
    parquet: Path, build_db: Path, target: Path, select: list[str] | None = None, full_refresh: bool = False
) -> None:
    variables = json.dumps({"parquet_dir": str(parquet), "source_mode": "sample", "build_db": str(build_db)})
    args = [
        DBT,
        "build",
        "--exclude-resource-type",
        "unit_test",
        "--profiles-dir",
        ".",
        "--target-path",
        str(target),
        "--vars",
        variables,
    ] + (["--full-refresh"] if full_refresh else [])
    if select:
        args += ["--select", *select]
    result = subprocess.run(args, cwd=DBT_PROJECT_DIR, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-4000:]


def query(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def marts(db: Path) -> dict[str, list[tuple]]:
    tables = [t for (t,) in query(db, "select table_name from duckdb_tables() where schema_name = 'marts'")]
    return {t: query(db, f'select * from marts."{t}" order by all') for t in sorted(tables)}


def different_marts(left: Path, right: Path) -> list[str]:
    """The marts whose rows differ between two builds, floating-point cells within 1e-9 (tests/engines.py): an
    aggregate adds in the order its threads meet the rows, so a value rounded to 12 decimals can differ in the last
    one between two builds of the same inputs."""
    got, want = marts(left), marts(right)
    assert set(got) == set(want) and len(want) > 20
    columns = {
        t: [
            c
            for (c,) in query(
                right,
                "select column_name from duckdb_columns() where schema_name = 'marts' "
                f"and table_name = '{t}' order by column_index",
            )
        ]
        for t in want
    }
    return [t for t in want if not compare_rows(t, columns[t], want[t], columns[t], got[t]).equal]


class Landed:
    """The sample's landed Parquet, copied, with the price files rewritten per step from the original bars."""

    def __init__(self, source: Path, root: Path):
        self.dir = root / "parquet"
        shutil.copytree(source, self.dir)
        self.bars_dir = self.dir / "yahoo" / "daily_bars"
        self.original = {p.name: pq.read_table(p) for p in sorted(self.bars_dir.glob("bars-*.parquet"))}

    def file(self, symbol: str) -> str:
        return f"bars-{safe_name(symbol)}.parquet"

    def write(self, drop_last: int, edits: dict[str, callable] | None = None) -> None:
        """Every symbol without its last `drop_last` bars, then each edit applied to its symbol's table."""
        for name, table in self.original.items():
            dates = sorted(set(table.column("trade_date").to_pylist()))
            if drop_last:
                table = table.filter(pc.less(table.column("trade_date"), pa.scalar(dates[-drop_last])))
            for symbol, edit in (edits or {}).items():
                if name == self.file(symbol):
                    table = edit(table)
            pq.write_table(table, self.bars_dir / name)


def revise_before(day_index: int, factor: float):
    """A dividend: every adjusted close before the day_index-th bar is multiplied by factor."""

    def edit(table: pa.Table) -> pa.Table:
        dates = sorted(table.column("trade_date").to_pylist())
        before = pc.less(table.column("trade_date"), pa.scalar(dates[day_index]))
        adjusted = pc.if_else(before, pc.multiply(table.column("adj_close"), factor), table.column("adj_close"))
        return table.set_column(table.schema.get_field_index("adj_close"), "adj_close", adjusted)

    return edit


def revise_from(day_index: int, factor: float):
    """A correction: every close and adjusted close from the day_index-th bar on is multiplied by factor (the
    symbol's rows are then rebuilt from that day: one pair's days come from two builds)."""

    def edit(table: pa.Table) -> pa.Table:
        dates = sorted(table.column("trade_date").to_pylist())
        after = pc.greater_equal(table.column("trade_date"), pa.scalar(dates[day_index]))
        for column in ("close", "adj_close"):
            revised = pc.if_else(after, pc.multiply(table.column(column), factor), table.column(column))
            table = table.set_column(table.schema.get_field_index(column), column, revised)
        return table

    return edit


def drop_first(n: int):
    def edit(table: pa.Table) -> pa.Table:
        return table.sort_by("trade_date").slice(n)

    return edit


def drop_last_one(table: pa.Table) -> pa.Table:
    return table.sort_by("trade_date").slice(0, table.num_rows - 1)


@pytest.fixture(scope="module")
def builds(sample_warehouse, tmp_path_factory):
    home, _, proc = sample_warehouse
    assert proc.returncode == 0, proc.stdout + proc.stderr
    root = tmp_path_factory.mktemp("incremental")
    landed = Landed(home / "parquet" / "sample", root)
    incremental, full = root / "incremental.duckdb", root / "full.duckdb"
    target = root / "target"
    pairs_built = []

    # start 8 sessions after the latest event with at least 12 sessions of the sample after it (later events, near
    # the sample's end, keep no t0 bar through the steps): the next sessions fall inside its span
    events = pa.csv.read_csv(DBT_PROJECT_DIR / "seeds" / "curated" / "curated_events.csv")
    nvda = landed.original[landed.file("NVDA")].column("trade_date")
    announced = events.column("announced_on")
    cutoff = sorted(nvda.to_pylist())[-12]
    latest = pc.max(announced.filter(pc.less(announced, pa.scalar(cutoff)))).as_py()
    start = pc.sum(pc.greater(nvda, pa.scalar(latest))).as_py() - 8
    assert start >= 3, "the sample ends too soon after its latest event for this test"
    landed.write(drop_last=start)
    dbt_build(landed.dir, incremental, target)
    all_pairs = query(incremental, "select count(*) from intermediate.int_event_listings_anchored")[0][0]

    def step(drop_last, edits=None, select=(PRICES,)):
        landed.write(drop_last, edits)
        dbt_build(landed.dir, incremental, target, list(select))
        pairs_built.append(
            set(query(incremental, "select event_id, symbol from intermediate.int_event_pairs_to_build"))
        )

    step(start - 1)  # one more session
    # another, NVDA's history re-adjusted, and AMAT's closes corrected from its 600th bar on
    step(start - 2, {"NVDA": revise_before(400, 0.99), "AMAT": revise_from(600, 1.01)})
    # one more; NVDA still revised, the S&P 500's history now starts five sessions later, AMD's last bar is
    # gone, and the NYSE calendar loses the session that was t0 of an event on NVDA (t0 moves to the next session)
    sessions_path = landed.dir / "calendars" / "sessions.parquet"
    t0 = query(incremental, "select min(event_date) from marts.fct_event_model_fits where symbol = 'NVDA'")[0][0]
    sessions = pq.read_table(sessions_path)
    keep = pc.invert(
        pc.and_(
            pc.equal(sessions.column("trading_calendar"), "XNYS"),
            pc.equal(sessions.column("session_date"), pa.scalar(t0)),
        )
    )
    pq.write_table(sessions.filter(keep), sessions_path)
    step(
        start - 3,
        {
            "NVDA": revise_before(400, 0.99),
            "AMAT": revise_from(600, 1.01),
            "^GSPC": drop_first(5),
            "AMD": drop_last_one,
        },
        select=(PRICES, CALENDARS),
    )

    # by hand, the event study from scratch without int_event_pairs_to_build (which still names the last step's pairs)
    by_hand = root / "by-hand.duckdb"
    shutil.copy(incremental, by_hand)
    dbt_build(landed.dir, by_hand, root / "target-by-hand", ["int_event_models_fitted+"], full_refresh=True)
    dbt_build(landed.dir, full, root / "target-full")
    amat_revised_from = sorted(landed.original[landed.file("AMAT")].column("trade_date").to_pylist())[600]
    return incremental, full, all_pairs, pairs_built, t0, amat_revised_from, by_hand


def test_every_mart_of_the_incremental_builds_equals_the_full_build(builds):
    incremental, full, *_ = builds
    assert different_marts(incremental, full) == []


def test_a_full_refresh_of_the_event_study_by_hand_computes_every_pair(builds):
    full, by_hand = builds[1], builds[-1]
    assert different_marts(by_hand, full) == []


def test_the_incremental_builds_recomputed_only_the_pairs_their_changes_touch(builds):
    incremental, full, all_pairs, pairs_built, t0, amat_revised_from, _ = builds
    first, revised, last = pairs_built

    def pairs_of(where):
        return set(query(full, f"select event_id, symbol from intermediate.int_event_listings_anchored where {where}"))

    assert 0 < len(first) < all_pairs  # one more session: only the events whose span reaches it
    # the next session: the latest events again (those whose span still reaches it)
    assert set() < {e for e, _ in revised - pairs_of("symbol in ('NVDA', 'AMAT')")} <= {e for e, _ in first}
    assert pairs_of("symbol = 'NVDA'") <= revised and len(revised) < all_pairs  # ... and every event on NVDA
    # ... and AMAT's events whose span reaches its corrected bars: every one with t0 on or after the first of
    # them, none whose event window (+10 sessions) ended a month before it
    amat = pairs_of("symbol = 'AMAT'") & revised
    amat_after = pairs_of(f"symbol = 'AMAT' and t0_session_date >= date '{amat_revised_from}'")
    amat_long_before = pairs_of(f"symbol = 'AMAT' and t0_session_date < date '{amat_revised_from}' - interval 30 day")
    assert set() < amat_after <= amat and amat_long_before and not amat & amat_long_before
    # the S&P 500's history changed from its first session: every listing it benchmarks; of the others, only the
    # latest events again
    us = pairs_of("benchmark_symbol = '^GSPC'")
    assert us <= last and {e for e, _ in last - us} <= {e for e, _ in first}
    assert (
        query(
            full,
            f"select count(*) from marts.fct_event_model_fits where symbol = 'NVDA' and t0_session_date = date '{t0}'",
        )[0][0]
        == 0
    )  # the removed session is no one's t0


def test_a_duplicated_daily_row_fails_the_uniqueness_test_of_fct_daily_returns(builds, tmp_path):
    """In a build the test checks the days that build rebuilt; run alone (`dbt test`), every row: here one duplicate
    of an old day and one of the latest day, both found."""
    incremental = builds[0]
    copy = tmp_path / "duplicated.duckdb"
    shutil.copy(incremental, copy)
    con = duckdb.connect(str(copy))
    try:
        for pick in ("min", "max"):
            con.execute(
                f"insert into marts.fct_daily_returns select * from marts.fct_daily_returns "
                f"where symbol = 'NVDA' and trade_date = "
                f"(select {pick}(trade_date) from marts.fct_daily_returns where symbol = 'NVDA')"
            )
    finally:
        con.close()
    variables = json.dumps(
        {"parquet_dir": str(incremental.parent / "parquet"), "source_mode": "sample", "build_db": str(copy)}
    )
    result = subprocess.run(
        [
            DBT,
            "test",
            "--select",
            "fct_daily_returns,test_name:chipwatch_unique_rebuilt_daily_rows",
            "--profiles-dir",
            ".",
            "--target-path",
            str(tmp_path / "target"),
            "--vars",
            variables,
        ],
        cwd=DBT_PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 1, result.stdout[-3000:]
    results = json.loads((tmp_path / "target" / "run_results.json").read_text())["results"]
    (ran,) = [r for r in results if "chipwatch_unique_rebuilt_daily_rows_fct_daily_returns" in r["unique_id"]]
    assert (ran["status"], ran["failures"]) == ("fail", 2), [(r["unique_id"], r["status"]) for r in results]
