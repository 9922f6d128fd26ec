"""Which engine runs the dbt project: DuckDB on one machine, or Spark (README, "Scaling out").

The engine is the dbt target of the same project (dbt_project/profiles.yml); models that must
differ per engine use dispatch macros, nothing is copied. Chosen by `ccus run --engine` or, for
`ccus dev` and the daemon, the environment variable CCUS_ENGINE. Spark runs in-process (target
`spark`, a local session) unless a Spark Thrift Server is named (`--spark-thrift HOST:PORT`,
CCUS_SPARK_THRIFT): then on that server's cluster (target `spark_thrift`). The choices are
settings (ccus/settings.py), read once at the entry point and passed here as arguments.
"""
from __future__ import annotations

ENGINES = ("duckdb", "spark")
DEFAULT_ENGINE = "duckdb"


def check_engine(engine: str) -> str:
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}: choose one of {', '.join(ENGINES)}")
    return engine


def dbt_target(engine: str, spark_thrift: str = "") -> str:
    if engine == "spark":
        return "spark_thrift" if spark_thrift else "spark"
    return engine


def dbt_build_args(engine: str, spark_thrift: str = "", unit_tests: bool = False,
                   spark_data_tests: bool = True) -> list[str]:
    """`dbt build` arguments of an engine beyond the selection.

    dbt's unit tests check the models' SQL, not the data: `make test` runs them once on DuckDB
    (tests/test_dbt_project.py) and a pipeline run leaves them out, as dbt advises for
    production, unless unit_tests (CCUS_DBT_UNIT_TESTS=1; DuckDB only: their fixtures are DuckDB SQL, e.g.
    `[]::varchar[]`). On Spark the data tests run unless not spark_data_tests (CCUS_SPARK_DATA_TESTS=0: the
    engine-equality test sets it: it proves the Spark marts identical to DuckDB's, whose data
    tests pass, and saves ≈660 Spark queries)."""
    excluded = []
    if engine != "duckdb" or not unit_tests:
        excluded.append("resource_type:unit_test")
    if not data_tests_run(engine, spark_data_tests):
        excluded.append("resource_type:test")
    target = ["--target", dbt_target(engine, spark_thrift)] if engine == "spark" else []
    # One --exclude value (space-separated union): dagster-dbt merges its own selection with it.
    return [*target, *(["--exclude", " ".join(excluded)] if excluded else [])]


def data_tests_run(engine: str, spark_data_tests: bool = True) -> bool:
    """Whether `dbt build` runs the data tests (Dagster asset checks) on this engine."""
    return engine == "duckdb" or spark_data_tests
