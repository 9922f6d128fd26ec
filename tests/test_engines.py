"""The engines: how a run picks one, and Spark's in-process session.

The marts of a whole run on Spark equal DuckDB's on the standalone cluster
(tests/test_spark_cluster.py: `ccus run --engine spark --spark-thrift`). The in-process session
(the dbt target `spark`) runs the same SQL and materialisations; what is its own, and what this
module proves on it, is the session's profile, its seed loader (Spark's CSV reader), the gold
export from its local folder, and the incremental work-date models on Spark:

On the work-date scenario (tests/work_date_scenario.py) plus a January that day two does not
touch, day one is built whole and day two incrementally on the session: insert_overwrite by
work month (dbt_project/macros/incremental.sql). Its tables equal a full refresh of the same
bronze (DuckDB's, the reference engine: column for column, whatever the column order); the
dates tables hold every day of February and March, the months with a changed date; January's
partition keeps its files. The ingest_audit mart, exported from the session's folder, equals
DuckDB's gold.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from bench.engine_equality import mart_differences
from ccus.lakehouse import Lakehouse
from ccus.settings import local_state

try:
    from bronze_factory import BronzeLake
    from work_date_scenario import MODELS, SEEDS, SELECT, S1, W1, day_one, day_two, roster, touch
except ModuleNotFoundError:  # tests/ imported as a package
    from tests.bronze_factory import BronzeLake
    from tests.work_date_scenario import MODELS, SEEDS, SELECT, S1, W1, day_one, day_two, roster, touch

REPO = Path(__file__).resolve().parents[1]
PROJECT = REPO / "dbt_project"
DBT = Path(sys.executable).parent / "dbt"
# the mart the session's gold export is checked on, and its one staging model
AUDIT = ["stg_ingest_audit", "ingest_audit"]


def january(lake: BronzeLake) -> None:
    """A month day two does not touch: its partitions must keep their files."""
    lake.add_file("attendance", "2024-01-15", [touch("r0", W1, S1, "2024-01-15", "2024-01-15T18:00:00")])
    lake.add_file("rosters", "2024-01-15", [roster(S1, "2024-01-15", W1)])


def dbt(tmp_path: Path, lake: BronzeLake, target: str, *args: str) -> None:
    env = {**os.environ, "DO_NOT_TRACK": "1", "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
           "CCUS_WAREHOUSE_PATH": str(Path(lake.root) / "warehouse.duckdb"), "CCUS_DUCKDB_MEMORY_LIMIT": "1GB",
           "CCUS_SPARK_DIR": str(Path(lake.root) / "spark"), "CCUS_SPARK_SHUFFLE_PARTITIONS": "1",
           "CCUS_SPARK_DRIVER_MEMORY": "1g",
           "DBT_TARGET_PATH": str(tmp_path / f"target_{target}"), "DBT_LOG_PATH": str(tmp_path / "dbt_logs")}
    result = subprocess.run([str(DBT), *args, "--target", target, "--project-dir", str(PROJECT),
                             "--profiles-dir", str(PROJECT), "--vars", f"{{lakehouse_root: '{lake.root}'}}"],
                            cwd=REPO, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]


def build(tmp_path: Path, lake: BronzeLake, target: str, *extra: str) -> None:
    """Seeds and models in one invocation (one JVM start on Spark), without their tests."""
    dbt(tmp_path, lake, target, "build", *extra, "--select", *SEEDS[1:], *SELECT[1:], *AUDIT,
        "--exclude", "resource_type:test resource_type:unit_test")


def _rows(con: duckdb.DuckDBPyConnection, query: str) -> list[str]:
    """Rows as sorted 'column=value' lists: the same rows whatever the column order."""
    relation = con.sql(query)
    return sorted(repr(sorted(zip(relation.columns, row))) for row in relation.fetchall())


def spark_tables(spark_dir: Path) -> dict[str, list[str]]:
    """The session's tables, read from their Parquet files (partition folders as columns)."""
    con = duckdb.connect()
    try:
        return {name: _rows(con, f"select * from read_parquet('{spark_dir}/warehouse/{schema}.db/{name}/**/*.parquet', "
                                 "hive_partitioning = true)")
                for schema, names in MODELS.items() for name in names}
    finally:
        con.close()


def duckdb_tables(warehouse: Path) -> dict[str, list[str]]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {name: _rows(con, f"select * from {schema}.{name}") for schema, names in MODELS.items() for name in names}
    finally:
        con.close()


def partition_files(spark_dir: Path, month: str) -> dict[str, set]:
    """model -> {(file, modification time)} of one month's partition (work_month=…, or month=…)."""
    found = {}
    for schema, names in MODELS.items():
        for name in names:
            [folder] = (spark_dir / "warehouse" / f"{schema}.db" / name).glob(f"*month={month}")
            found[name] = {(p.name, p.stat().st_mtime_ns) for p in folder.glob("*.parquet")}
    return found


def changed_dates(spark_dir: Path) -> dict[str, list[str]]:
    con = duckdb.connect()
    try:
        return {name: [d.isoformat() for (d,) in con.execute(
                    f"select work_date from read_parquet('{spark_dir}/warehouse/{schema}.db/{name}__changed_dates/*.parquet') "
                    "order by 1").fetchall()]
                for schema, names in MODELS.items() for name in names}
    finally:
        con.close()


@pytest.fixture(scope="module")
def session_builds(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("spark_session")
    lake = BronzeLake(tmp_path / "lakehouse")
    spark_dir = Path(lake.root) / "spark"
    january(lake)
    day_one(lake)
    lake.write()
    build(tmp_path, lake, "spark")
    january_before = partition_files(spark_dir, "2024-01-01")
    march_before = partition_files(spark_dir, "2024-03-01")
    day_two(lake)
    lake.write()
    build(tmp_path, lake, "spark")
    built = {"spark": spark_tables(spark_dir), "dates": changed_dates(spark_dir),
             "january": (january_before, partition_files(spark_dir, "2024-01-01")),
             "march": (march_before, partition_files(spark_dir, "2024-03-01"))}
    build(tmp_path, lake, "duckdb", "--full-refresh")
    built["full_refresh"] = duckdb_tables(Path(lake.root) / "warehouse.duckdb")
    built["lakehouse"] = Path(lake.root)
    return built


def test_insert_overwrite_by_work_month_equals_a_full_refresh(session_builds):
    assert session_builds["spark"] == session_builds["full_refresh"]
    attendance = session_builds["spark"]["stg_attendance"]
    assert len(attendance) == 8                    # r0..r9 less the withdrawn r5 and r7
    assert sum(f"('work_month', {dt.date(2024, 1, 1)!r})" in row for row in attendance) == 1


def test_only_the_months_with_a_changed_date_are_rewritten(session_builds):
    february = [f"2024-02-{d:02d}" for d in range(1, 30)]           # 2024 is a leap year
    march = [f"2024-03-{d:02d}" for d in range(1, 32)]
    attendance_months = february + march
    assert session_builds["dates"] == {
        "stg_attendance": attendance_months, "int_work_history_days": attendance_months,
        "stg_rosters": march,                                        # rosters changed 03-02 and 03-04 only
        "int_roster_person_days": attendance_months, "int_work_history_day_hours": attendance_months,
        "int_worker_day_hours": attendance_months, "int_insurance_checks": attendance_months,
        "int_insurance_checks_monthly": attendance_months, "int_site_worker_month_hours": attendance_months,
        "int_work_history_months": attendance_months, "int_site_activity_days": attendance_months,
        "int_worker_month_work": attendance_months,
    }
    january_before, january_after = session_builds["january"]
    assert january_before == january_after and all(january_before.values())   # the same files
    march_before, march_after = session_builds["march"]
    assert all(march_after[m] and march_before[m].isdisjoint(march_after[m]) for m in march_after)


def test_the_gold_export_reads_the_sessions_folder(session_builds, dbt_manifest, tmp_path):
    from assets.gold import export_marts

    lakehouse = session_builds["lakehouse"]
    export_marts(Lakehouse(lakehouse), local_state(str(lakehouse), {}), ["ingest_audit"], "duckdb")
    duck = tmp_path / "duckdb_ingest_audit.parquet"
    shutil.copy(lakehouse / "gold" / "ingest_audit.parquet", duck)
    rows = export_marts(Lakehouse(lakehouse), local_state(str(lakehouse), {}), ["ingest_audit"], "spark")
    differences, compared = mart_differences({"ingest_audit": str(duck)},
                                             {"ingest_audit": str(lakehouse / "gold" / "ingest_audit.parquet")})
    # one audit row a file: January's 2, day one's 6, day two's 4
    assert not differences and rows == {"ingest_audit": compared} and compared == 12


def test_the_engine_is_chosen_by_the_command_line_or_the_environment(monkeypatch):
    from orchestration.cli import build_parser
    from ccus.engine import dbt_build_args
    from orchestration.resources import default_resources

    assert build_parser().parse_args(["run", "--inbox", "i", "--engine", "spark"]).engine == "spark"
    with pytest.raises(SystemExit):
        build_parser().parse_args(["run", "--inbox", "i", "--engine", "oracle"])
    with pytest.raises(SystemExit):                   # HOST:PORT, or a clear refusal
        build_parser().parse_args(["run", "--inbox", "i", "--spark-thrift", "no-port"])
    args = build_parser().parse_args(["run", "--inbox", "i", "--engine", "spark", "--spark-thrift", "spark.internal:10000"])
    assert args.spark_thrift == "spark.internal:10000"
    monkeypatch.setenv("CCUS_ENGINE", "spark")
    monkeypatch.setenv("CCUS_SPARK_THRIFT", "127.0.0.1:10001")
    resources = default_resources()
    assert (resources["lakehouse"].engine, resources["lakehouse"].spark_thrift) == ("spark", "127.0.0.1:10001")
    # unit tests: once in make test, never in a pipeline run unless asked (DuckDB only)
    assert dbt_build_args("duckdb") == ["--exclude", "resource_type:unit_test"]
    assert dbt_build_args("duckdb", unit_tests=True) == []
    assert dbt_build_args("spark", spark_data_tests=False) == [
        "--target", "spark", "--exclude", "resource_type:unit_test resource_type:test"]
    # ...as the settings say, read from the environment once and carried by the resource
    monkeypatch.setenv("CCUS_DBT_UNIT_TESTS", "1")
    monkeypatch.setenv("CCUS_SPARK_DATA_TESTS", "0")
    lakehouse = default_resources()["lakehouse"]
    assert (lakehouse.dbt_unit_tests, lakehouse.spark_data_tests) == (True, False)
    # a Thrift server named: the cluster's target
    assert dbt_build_args("spark", "127.0.0.1:10001")[:2] == ["--target", "spark_thrift"]
    monkeypatch.setenv("CCUS_ENGINE", "oracle")
    with pytest.raises(ValueError, match="unknown engine"):
        default_resources()
