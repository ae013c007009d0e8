"""Compare the marts two engines built from the same inputs (DuckDB and Spark, issue 9), row for row.

Rows are matched by sorting both sides on every column (text, integer, date and time columns first, floating-point
columns last), so no key has to be declared per mart. Cells must be equal, except floating-point cells, which may
differ by `tolerance` relative to the larger magnitude (absolute below 1): engines add floating-point numbers in
different orders, so the last bits of a sum or an average can differ.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

DEFAULT_TOLERANCE = 1e-9


@dataclass
class TableComparison:
    name: str
    left_rows: int
    right_rows: int
    columns: list[str]
    problems: list[str] = field(default_factory=list)
    cells_compared: int = 0
    float_cells: int = 0
    max_float_difference: float = 0.0

    @property
    def equal(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        status = "equal" if self.equal else "DIFFERENT"
        return (
            f"{self.name:<34} {status:<9} rows {self.left_rows:>7,} / {self.right_rows:>7,}  "
            f"cells {self.cells_compared:>9,}  max float diff {self.max_float_difference:.1e}"
        )


def _as_utc(instant: dt.datetime) -> dt.datetime:
    """An instant from one engine may arrive naive (UTC by construction) and from the other zone-aware."""
    return instant if instant.tzinfo else instant.replace(tzinfo=dt.UTC)


def _is_float(value: Any) -> bool:
    return isinstance(value, float)


def _sort_key(row: Sequence[Any], order: Sequence[int]) -> tuple:
    key = []
    for i in order:
        value = row[i]
        if value is None or (isinstance(value, float) and math.isnan(value)):
            key.append((1, 0, ""))
        elif isinstance(value, bool):
            key.append((0, int(value), ""))
        elif isinstance(value, (int, float, Decimal)):
            key.append((0, float(value), ""))
        elif isinstance(value, dt.datetime):
            key.append((0, _as_utc(value).timestamp(), ""))
        else:
            key.append((0, 0, str(value)))
    return tuple(key)


def cells_equal(left: Any, right: Any, tolerance: float = DEFAULT_TOLERANCE) -> tuple[bool, float]:
    """(equal?, float difference) for one cell. Floats: |a - b| <= tolerance * max(1, |a|, |b|); NaN equals NaN."""
    if left is None or right is None:
        return left is None and right is None, 0.0
    if isinstance(left, (float, Decimal)) or isinstance(right, (float, Decimal)):
        a, b = float(left), float(right)
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b), 0.0
        difference = abs(a - b) / max(1.0, abs(a), abs(b))
        return difference <= tolerance, difference
    if isinstance(left, dt.datetime) and isinstance(right, dt.datetime):
        return _as_utc(left) == _as_utc(right), 0.0
    return left == right and type(left) is type(right), 0.0


def compare_rows(
    name: str,
    left_columns: Sequence[str],
    left_rows: Sequence[Sequence[Any]],
    right_columns: Sequence[str],
    right_rows: Sequence[Sequence[Any]],
    tolerance: float = DEFAULT_TOLERANCE,
    max_examples: int = 5,
) -> TableComparison:
    """Compare two tables given as column names and row tuples (left: the reference engine)."""
    result = TableComparison(name, len(left_rows), len(right_rows), list(left_columns))
    if [c.lower() for c in left_columns] != [c.lower() for c in right_columns]:
        result.problems.append(f"{name}: columns differ: {list(left_columns)} vs {list(right_columns)}")
        return result
    if len(left_rows) != len(right_rows):
        result.problems.append(f"{name}: {len(left_rows)} rows vs {len(right_rows)}")
        return result

    # float columns (in either table) sort last, so near-equal floats do not reorder rows that share their keys
    width = len(left_columns)
    floating = {
        i for i in range(width) if any(_is_float(r[i]) for r in left_rows) or any(_is_float(r[i]) for r in right_rows)
    }
    order = [i for i in range(width) if i not in floating] + sorted(floating)
    left_sorted = sorted(left_rows, key=lambda r: _sort_key(r, order))
    right_sorted = sorted(right_rows, key=lambda r: _sort_key(r, order))

    for row_number, (left, right) in enumerate(zip(left_sorted, right_sorted)):
        for i, column in enumerate(left_columns):
            equal, difference = cells_equal(left[i], right[i], tolerance)
            result.cells_compared += 1
            if i in floating:
                result.float_cells += 1
                result.max_float_difference = max(result.max_float_difference, difference)
            if not equal:
                if len(result.problems) < max_examples:
                    result.problems.append(
                        f"{name}: row {row_number} column {column}: {left[i]!r} ({type(left[i]).__name__}) vs "
                        f"{right[i]!r} ({type(right[i]).__name__})"
                    )
                elif len(result.problems) == max_examples:
                    result.problems.append(f"{name}: more differences not shown")
    return result
