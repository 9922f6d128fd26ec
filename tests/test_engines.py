"""The same dbt project on both engines gives the same gold: `ccus run --engine duckdb` and
`ccus run --engine spark` (dbt-spark, an in-process Spark session on the machine's Java) on one
simulated tiny inbox, and every gold mart is identical: same columns and types, same rows, the
same values to the yen, and floats (rates, hours, medians) to 1e-9.

Cost: one tiny run per engine. The Spark run reuses a copy of the DuckDB run's lakehouse, so its
ingestion finds every file already ingested (the audit rows) and only dbt (one invocation), gold
and pages run again. On Spark the dbt unit tests are left out (DuckDB SQL fixtures, the same
logic) and so are the data tests (CCUS_SPARK_DATA_TESTS=0): they pass on DuckDB, and equal marts
give them the same verdict.
"""
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

CCUS = str(Path(sys.executable).parent / "ccus")
FLOAT_TOLERANCE = 1e-9


@pytest.fixture(scope="module")
def golds(tmp_path_factory, dbt_manifest):
    root = tmp_path_factory.mktemp("engines")
    sim = subprocess.run([CCUS, "simulate", "--scale", "tiny", "--seed", "11", "--out", str(root / "inbox")],
                         capture_output=True, text=True, timeout=120)
    assert sim.returncode == 0, sim.stderr
    duck = subprocess.run([CCUS, "run", "--engine", "duckdb", "--inbox", str(root / "inbox"),
                           "--lakehouse", str(root / "duckdb")], capture_output=True, text=True, timeout=900)
    assert duck.returncode == 0, duck.stdout[-3000:]

    # The Spark lakehouse starts as a copy of the DuckDB one minus everything dbt and gold made.
    shutil.copytree(root / "duckdb", root / "spark",
                    ignore=shutil.ignore_patterns("gold", "site", "warehouse.duckdb*"))
    env = {**os.environ, "CCUS_SPARK_DATA_TESTS": "0"}
    spark = subprocess.run([CCUS, "run", "--engine", "spark", "--inbox", str(root / "inbox"),
                            "--lakehouse", str(root / "spark")], capture_output=True, text=True,
                           timeout=1200, env=env)
    assert spark.returncode == 0, spark.stdout[-3000:] + spark.stderr[-3000:]
    return root / "duckdb", root / "spark"


def _read(path: Path):
    relation = duckdb.sql(f"SELECT * FROM read_parquet('{path}') ORDER BY ALL")
    return [(c, str(t)) for c, t in zip(relation.columns, relation.types)], relation.fetchall()


def _same_value(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or abs(a - b) <= FLOAT_TOLERANCE
    return a == b and type(a) is type(b)


def test_spark_built_the_marts_the_gold_comes_from(golds):
    _, spark_lh = golds
    marts = {p.stem for p in (spark_lh / "gold").glob("*.parquet")}
    spark_tables = {p.name for p in (spark_lh / "spark" / "warehouse" / "marts.db").iterdir() if p.is_dir()}
    assert len(marts) >= 12 and marts <= spark_tables
    assert not (spark_lh / "warehouse.duckdb").exists()  # DuckDB never ran in this lakehouse


def test_every_gold_mart_is_identical_on_both_engines(golds):
    duck_lh, spark_lh = golds
    duck_marts = sorted(p.name for p in (duck_lh / "gold").glob("*.parquet"))
    assert duck_marts == sorted(p.name for p in (spark_lh / "gold").glob("*.parquet"))
    differences, rows_compared = [], 0
    for name in duck_marts:
        duck_columns, duck_rows = _read(duck_lh / "gold" / name)
        spark_columns, spark_rows = _read(spark_lh / "gold" / name)
        if duck_columns != spark_columns:
            differences.append(f"{name}: columns {duck_columns} != {spark_columns}")
            continue
        if len(duck_rows) != len(spark_rows):
            differences.append(f"{name}: {len(duck_rows)} rows on DuckDB, {len(spark_rows)} on Spark")
            continue
        rows_compared += len(duck_rows)
        for duck_row, spark_row in zip(duck_rows, spark_rows):
            unequal = [(column, d, s) for (column, _), d, s in zip(duck_columns, duck_row, spark_row)
                       if not _same_value(d, s)]
            if unequal:
                differences.append(f"{name}: {unequal[:3]}")
                break
    assert not differences, differences
    assert rows_compared > 1000  # the comparison saw real marts, not empty files
