"""The engine comparison (tests/engines.py) that `make test-spark` relies on: it must see real differences."""

import datetime as dt
from decimal import Decimal

from tests.engines import cells_equal, compare_rows

COLUMNS = ["event_id", "window_start", "car", "day"]
ROWS = [
    ("a", 0, -0.125, dt.date(2025, 1, 27)),
    ("a", 1, 0.5, dt.date(2025, 1, 28)),
    ("b", 0, None, dt.date(2025, 1, 27)),
]


def test_the_same_rows_in_another_order_are_equal():
    result = compare_rows("t", COLUMNS, ROWS, COLUMNS, list(reversed(ROWS)))
    assert result.equal and result.cells_compared == 12 and result.float_cells == 3


def test_float_differences_within_1e_9_relative_pass_and_beyond_fail():
    near = [("a", 0, -0.125 * (1 + 5e-10), ROWS[0][3]), *ROWS[1:]]
    far = [("a", 0, -0.125 + 1e-8, ROWS[0][3]), *ROWS[1:]]
    assert compare_rows("t", COLUMNS, ROWS, COLUMNS, near).equal
    result = compare_rows("t", COLUMNS, ROWS, COLUMNS, far)
    assert not result.equal and "column car" in result.problems[0]
    # relative above 1: 1e12 and 1e12 + 100 differ by 1e-10 of their size
    equal, difference = cells_equal(1e12, 1e12 + 100)
    assert equal and abs(difference - 1e-10) < 1e-15
    assert not cells_equal(1e12, 1e12 + 10_000)[0]


def test_null_empty_text_and_types_are_not_confused():
    assert not cells_equal(None, "")[0]  # Spark's empty aggregate '' vs DuckDB's null
    assert not cells_equal(None, 0.0)[0]
    assert not cells_equal(1, True)[0]  # an integer is not a boolean
    assert not cells_equal("1", 1)[0]
    assert cells_equal(float("nan"), float("nan"))[0]
    assert cells_equal(Decimal("0.1"), 0.1)[0]
    assert not cells_equal("a1,a2", "a2,a1")[0]  # order inside an aggregated string matters


def test_instants_compare_as_instants():
    aware = dt.datetime(2025, 1, 27, 14, 30, tzinfo=dt.UTC)
    shanghai = aware.astimezone(dt.timezone(dt.timedelta(hours=8)))
    assert cells_equal(aware, shanghai)[0]
    assert cells_equal(aware, aware.replace(tzinfo=None))[0]  # a naive instant is UTC by construction
    assert not cells_equal(aware, aware + dt.timedelta(microseconds=1))[0]


def test_missing_rows_and_different_columns_are_reported():
    assert compare_rows("t", COLUMNS, ROWS, COLUMNS, ROWS[:2]).problems == ["t: 3 rows vs 2"]
    renamed = ["event_id", "window_start", "car_pct", "day"]
    assert "columns differ" in compare_rows("t", COLUMNS, ROWS, renamed, ROWS).problems[0]
    swapped = [("a", 0, -0.125, dt.date(2025, 1, 28)), ("a", 1, 0.5, dt.date(2025, 1, 27)), ROWS[2]]
    assert not compare_rows("t", COLUMNS, ROWS, COLUMNS, swapped).equal
