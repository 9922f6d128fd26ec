"""Are two sets of marts identical? The rule both engines are held to (tests/test_engines.py,
tests/test_spark_cluster.py, and `make bench` at scale): the same marts, columns with the same
names and types, the same rows (sorted by every column), equal values, and floats (rates, hours,
medians) within 1e-9. Yen amounts are integers, so they compare exactly.

At bench scale: the Spark engine's marts against the DuckDB run's gold of the same lakehouse
(the in-process session's Parquet files, or a cluster's marts through its Thrift server)."""
from __future__ import annotations

import sys
from pathlib import Path

# run as a script's sibling (bench/run.py): the repository's packages from the work tree
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import math  # noqa: E402
import tempfile  # noqa: E402

import duckdb  # noqa: E402

from assets.gold import export_marts  # noqa: E402
from ccus.lakehouse import Lakehouse  # noqa: E402
from ccus.settings import local_state  # noqa: E402

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


def compare_spark_marts(lakehouse: Path) -> bool | str:
    state = local_state(str(lakehouse.resolve()), {})
    gold = {p.stem: str(p) for p in (lakehouse / "gold").glob("*.parquet")}
    if not gold:
        return "no DuckDB gold at this scale (publish not run)"
    differences, _ = mart_differences(gold, {name: state.spark_mart_glob(name) for name in gold})
    return True if not differences else "; ".join(differences)[:500]


def compare_cluster_marts(lakehouse: Path, thrift_address: str) -> bool | str:
    """The cluster's marts exported as the gold export does (through the Thrift connection) into
    a scratch lakehouse, against the DuckDB run's gold."""
    gold = {p.stem: str(p) for p in (lakehouse / "gold").glob("*.parquet")}
    if not gold:
        return "no DuckDB gold at this scale (publish not run)"
    with tempfile.TemporaryDirectory() as scratch:
        export_marts(Lakehouse(scratch), local_state(scratch, {}), sorted(gold), "spark", thrift_address)
        differences, _ = mart_differences(gold, {name: f"{scratch}/gold/{name}.parquet" for name in gold})
    return True if not differences else "; ".join(differences)[:500]
