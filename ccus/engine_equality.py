"""Are two sets of marts identical? The rule both engines are held to (tests/test_spark_cluster.py,
and `make bench` at scale): the same marts, columns with the same names and types, the same rows
(sorted by every column), equal values, and floats (rates, hours, medians) within 1e-9.
Yen amounts are integers, so they compare exactly."""
from __future__ import annotations

import math

import duckdb

FLOAT_TOLERANCE = 1e-9


def _same_value(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or abs(a - b) <= FLOAT_TOLERANCE
    return a == b and type(a) is type(b)


def _read(con, parquet: str):
    relation = con.sql(f"SELECT * FROM read_parquet('{parquet}') ORDER BY ALL")
    return [(c, str(t)) for c, t in zip(relation.columns, relation.types)], relation.fetchall()


def mart_differences(left: dict[str, str], right: dict[str, str]) -> tuple[list[str], int]:
    """Differences between two {mart: parquet path or glob} sets, and how many rows were compared."""
    differences, rows_compared = [], 0
    if sorted(left) != sorted(right):
        differences.append(f"marts differ: {sorted(set(left) ^ set(right))}")
    con = duckdb.connect()
    try:
        for name in sorted(set(left) & set(right)):
            left_columns, left_rows = _read(con, left[name])
            right_columns, right_rows = _read(con, right[name])
            if left_columns != right_columns:
                differences.append(f"{name}: columns {left_columns} != {right_columns}")
                continue
            if len(left_rows) != len(right_rows):
                differences.append(f"{name}: {len(left_rows)} rows != {len(right_rows)} rows")
                continue
            rows_compared += len(left_rows)
            for left_row, right_row in zip(left_rows, right_rows):
                unequal = [(column, a, b) for (column, _), a, b in zip(left_columns, left_row, right_row)
                           if not _same_value(a, b)]
                if unequal:
                    differences.append(f"{name}: {unequal[:3]}")
                    break
    finally:
        con.close()
    return differences, rows_compared
