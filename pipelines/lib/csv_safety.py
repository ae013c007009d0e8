"""CSV formula injection (OWASP "CSV Injection"): a spreadsheet runs a cell that starts with =, +, -, @, a tab or a
carriage return as a formula, and Epoch names and cluster owners are text from outside. Every CSV chipwatch writes
(`chipwatch export --format csv`, `chipwatch query --format csv`, the dashboard's downloads) passes its text cells
through here: such a cell gets a leading single quote, which spreadsheets show as text. Only text cells: a negative
number stays a number."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# the same rule as a DuckDB regular expression, for CSV files DuckDB writes itself
FORMULA_PATTERN = "^[=+\\-@\\t\\r]"


def neutralise(value):
    """A text cell that a spreadsheet would run as a formula, with a leading single quote; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise_row(row) -> list:
    return [neutralise(v) for v in row]


def neutralise_frame(frame):
    """A copy of a pandas DataFrame with its text cells neutralised (text columns only: numbers stay numbers)."""
    from pandas.api.types import is_object_dtype, is_string_dtype

    frame = frame.copy()
    for column in frame.columns:
        if is_object_dtype(frame[column].dtype) or is_string_dtype(frame[column].dtype):
            frame[column] = frame[column].map(neutralise, na_action="ignore")
    return frame


def neutralise_relation(relation, quote):
    """A DuckDB relation with its VARCHAR columns neutralised in SQL (`quote` quotes an identifier); the other columns
    pass unchanged, in order and under the same names. Only quoted identifiers are pasted, never data."""
    pattern = FORMULA_PATTERN.replace("'", "''")
    columns = []
    for name, kind in zip(relation.columns, relation.types):
        col = quote(name)
        if str(kind) == "VARCHAR":
            columns.append(f"CASE WHEN regexp_matches({col}, '{pattern}') THEN '''' || {col} ELSE {col} END AS {col}")
        else:
            columns.append(col)
    return relation.select(", ".join(columns)) if columns else relation
