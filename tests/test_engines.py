"""The same dbt project on both engines gives the same gold: `ccus run --engine duckdb` and
`ccus run --engine spark` (dbt-spark, an in-process Spark session on the machine's Java) on one
simulated tiny inbox, and every gold mart is identical: same columns and types, same rows, the
same values to the yen, and floats (rates, hours, medians) to 1e-9 (ccus/engine_equality.py).

Cost: one tiny run per engine. The Spark run reuses a copy of the DuckDB run's lakehouse, so its
ingestion finds every file already ingested (the audit rows) and only dbt (one invocation), gold
and pages run again. On Spark the dbt unit tests are left out (DuckDB SQL fixtures, the same
logic) and so are the data tests (CCUS_SPARK_DATA_TESTS=0): they pass on DuckDB, and equal marts
give them the same verdict.
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ccus.engine_equality import mart_differences

CCUS = str(Path(sys.executable).parent / "ccus")


@pytest.fixture(scope="module")
def golds(simulated_tiny_run, tmp_path_factory):
    """The DuckDB side is the suite's shared tiny run (tests/conftest.py: `ccus run`, whose engine
    is duckdb by default); the Spark side starts from a copy of its lakehouse minus everything
    dbt and gold made."""
    duck_lh = simulated_tiny_run / "lh"
    spark_lh = tmp_path_factory.mktemp("engines") / "spark"
    shutil.copytree(duck_lh, spark_lh, ignore=shutil.ignore_patterns("gold", "site", "warehouse.duckdb*"))
    # one shuffle partition: the tiny data needs no more, and each one is a task per stage
    env = {**os.environ, "CCUS_SPARK_DATA_TESTS": "0", "CCUS_SPARK_SHUFFLE_PARTITIONS": "1"}
    spark = subprocess.run([CCUS, "run", "--engine", "spark", "--inbox", str(simulated_tiny_run / "inbox"),
                            "--lakehouse", str(spark_lh)], capture_output=True, text=True,
                           timeout=1200, env=env)
    assert spark.returncode == 0, spark.stdout[-3000:] + spark.stderr[-3000:]
    return duck_lh, spark_lh


def test_spark_built_the_marts_the_gold_comes_from(golds):
    _, spark_lh = golds
    marts = {p.stem for p in (spark_lh / "gold").glob("*.parquet")}
    spark_tables = {p.name for p in (spark_lh / "spark" / "warehouse" / "marts.db").iterdir() if p.is_dir()}
    assert len(marts) >= 12 and marts <= spark_tables
    assert not (spark_lh / "warehouse.duckdb").exists()  # DuckDB never ran in this lakehouse


def test_every_gold_mart_is_identical_on_both_engines(golds):
    duck_lh, spark_lh = golds
    duck = {p.stem: str(p) for p in (duck_lh / "gold").glob("*.parquet")}
    spark = {p.stem: str(p) for p in (spark_lh / "gold").glob("*.parquet")}
    differences, rows_compared = mart_differences(duck, spark)
    assert not differences, differences
    assert rows_compared > 1000  # the comparison saw real marts, not empty files


def test_the_engine_is_chosen_by_the_command_line_or_the_environment(monkeypatch):
    from ccus.cli import build_parser
    from ccus.engine import dbt_build_args
    from orchestration.resources import default_resources

    assert build_parser().parse_args(["run", "--inbox", "i", "--engine", "spark"]).engine == "spark"
    with pytest.raises(SystemExit):
        build_parser().parse_args(["run", "--inbox", "i", "--engine", "oracle"])
    monkeypatch.setenv("CCUS_ENGINE", "spark")
    assert default_resources()["lakehouse"].engine == "spark"
    # unit tests: once in make test, never in a pipeline run unless asked (DuckDB only)
    assert dbt_build_args("duckdb") == ["--exclude", "resource_type:unit_test"]
    monkeypatch.setenv("CCUS_DBT_UNIT_TESTS", "1")
    assert dbt_build_args("duckdb") == []
    monkeypatch.setenv("CCUS_SPARK_DATA_TESTS", "0")
    assert dbt_build_args("spark") == ["--target", "spark", "--exclude", "resource_type:unit_test resource_type:test"]
    monkeypatch.setenv("CCUS_ENGINE", "oracle")
    with pytest.raises(ValueError, match="unknown engine"):
        default_resources()
