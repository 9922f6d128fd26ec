"""The Spark engine on a standalone cluster (README, "Scaling out"): the `spark_cluster` fixture
(tests/conftest.py) starts a Master, two Workers (separate JVMs, 1 core and 1 GB each) and a
Thrift server submitted to that Master, all on 127.0.0.1, once per test session, and stops them
when the session ends, passed or failed.

- `ccus run --engine spark --spark-thrift HOST:PORT` takes the suite's shared tiny inbox (from a
  copy of the DuckDB run's lakehouse: ingestion finds every file already ingested, so dbt, gold
  and pages run again) through dbt's `spark_thrift` target; every gold mart equals DuckDB's:
  same columns and types, same rows, floats within 1e-9 (bench/engine_equality.py). Data tests
  are off on Spark here (CCUS_SPARK_DATA_TESTS=0): they pass on DuckDB, and equal marts give them
  the same verdict.
- The work ran in the executors the Workers launched, not in the driver (the application's
  executor list, each Worker's own status, the executors' processes).
- The gold export reads the marts through the Thrift connection: the run's lakehouse holds no
  Spark table at all (the cluster keeps its warehouse in its own folder).
- The controller stops exactly the processes it recorded, and what they forked.

The incremental work-date models on Spark (insert_overwrite by work month) are proved on the
in-process session, whose SQL and materialisations are the same (tests/test_engines.py).
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import closing
from pathlib import Path

import jinja2
import pytest
import yaml

from ccus import processes
from ccus import spark_cluster as cluster_control
from bench.engine_equality import mart_differences
from ccus.lakehouse import Lakehouse
from ccus.settings import local_state
from ccus.spark_thrift import connect

PROJECT = Path(__file__).resolve().parents[1] / "dbt_project"
BIN = Path(sys.executable).parent
PROJECT_SCHEMAS = ("bronze", "seeds", "staging", "intermediate", "marts")
# one shuffle partition: the tiny data needs no more, and each one is a task per stage
SPARK_ENV = {"CCUS_SPARK_DATA_TESTS": "0", "CCUS_SPARK_SHUFFLE_PARTITIONS": "1"}


def reset_catalog(address: str) -> None:
    """Drop the project's schemas: the run builds everything anew, as on a new cluster."""
    with closing(connect(address)) as connection, closing(connection.cursor()) as cursor:
        for schema in PROJECT_SCHEMAS:
            cursor.execute(f"drop database if exists {schema} cascade")


@pytest.fixture(scope="module")
def cluster_run(simulated_tiny_run, spark_cluster, tmp_path_factory):
    """(DuckDB's lakehouse, the cluster run's lakehouse, seconds the run took)."""
    duck_lh = simulated_tiny_run / "lh"
    spark_lh = tmp_path_factory.mktemp("cluster_run") / "lh"
    shutil.copytree(duck_lh, spark_lh, ignore=shutil.ignore_patterns("gold", "site", "warehouse.duckdb*", "spark"))
    reset_catalog(spark_cluster.thrift_address)
    started = time.monotonic()
    run = subprocess.run([str(BIN / "ccus"), "run", "--engine", "spark", "--spark-thrift", spark_cluster.thrift_address,
                          "--inbox", str(simulated_tiny_run / "inbox"), "--lakehouse", str(spark_lh)],
                         capture_output=True, text=True, timeout=1800, env={**os.environ, **SPARK_ENV})
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return duck_lh, spark_lh, time.monotonic() - started


def gold_files(lakehouse: Path) -> dict[str, str]:
    return {p.stem: str(p) for p in (lakehouse / "gold").glob("*.parquet")}


def test_the_cluster_is_a_master_two_workers_and_a_thrift_server_on_loopback(spark_cluster):
    report = cluster_control.status(spark_cluster)
    assert report["healthy"], json.dumps(report)
    pids = spark_cluster.pids
    assert sorted(pids) == ["master", "thrift-server", "worker-1", "worker-2"]
    assert len(set(pids.values())) == 4                        # four JVMs of their own
    for role, main_class in (("master", cluster_control.MASTER), ("worker-1", cluster_control.WORKER),
                             ("worker-2", cluster_control.WORKER), ("thrift-server", cluster_control.THRIFT_SERVER)):
        command = Path(f"/proc/{pids[role]}/cmdline").read_bytes().split(b"\0")
        assert command[0].endswith(b"/java") and main_class.encode() in command, role
    master = cluster_control.master_status(spark_cluster)
    assert [(w["state"], w["cores"]) for w in master["workers"]] == [("ALIVE", 1), ("ALIVE", 1)]
    assert all(w["memory"] <= cluster_control.MAX_WORKER_MEMORY_MB for w in master["workers"])
    [app] = master["activeapps"]
    assert (app["id"], app["name"], app["state"], app["cores"]) == (
        spark_cluster.app_id, cluster_control.APP_NAME, "RUNNING", 2)
    # every listening socket of the cluster's processes (executors included) is on 127.0.0.1,
    # the web UIs among them
    running = list(pids.values())
    listeners = processes.listening_addresses(running + [p for p, _ in processes.descendants(running)])
    addresses = {a for found in listeners.values() for a in found}
    for port in (spark_cluster.master_port, spark_cluster.master_ui_port, spark_cluster.thrift_port,
                 spark_cluster.app_ui_port, *spark_cluster.worker_ui_ports):
        assert f"127.0.0.1:{port}" in addresses
    assert all(a.startswith("127.0.0.1:") for a in addresses), addresses


def test_the_hive_classes_that_need_the_llap_interfaces_load_on_the_cluster(spark_cluster):
    """Finding: a dbt build on the cluster failed a model with "Error closing session:
    NoClassDefFoundError ...LlapSigner$Signable", or hung at a model's ConnectionClosed, more often
    the busier the machine. Closing a session can make Hive register its built-in functions, and
    Hive's FunctionRegistry cannot initialise without two interfaces Spark 4 does not ship; after
    one such failure every later close that needs it waits forever (ccus/hive_llap_stub.py).
    The class the registry trips on, Hive's get_splits UDTF, shows it at once: without the stub
    jar on the class path it fails to load (NoClassDefFoundError ...LlapSigner$Signable); with it,
    it loads on the driver and the executors and runs its own code, which then refuses to run
    outside HiveServer2 proper (the LLAP feature it serves is not there, nor needed)."""
    with closing(connect(spark_cluster.thrift_address)) as connection, closing(connection.cursor()) as cursor:
        cursor.execute("create temporary function get_splits as "
                       "'org.apache.hadoop.hive.ql.udf.generic.GenericUDTFGetSplits'")
        with pytest.raises(Exception) as refused:     # PyHive's OperationalError carries the server's message
            cursor.execute("select get_splits('select 1', 1)")
    message = str(refused.value)
    assert "NoClassDefFoundError" not in message and "Cannot run get splits outside HS2" in message, message[:2000]


def test_every_gold_mart_is_identical_to_duckdbs(cluster_run):
    duck_lh, spark_lh, seconds = cluster_run
    print(f"ccus run --engine spark over thrift: {seconds:.0f} s")
    differences, rows_compared = mart_differences(gold_files(duck_lh), gold_files(spark_lh))
    assert not differences, differences
    assert len(gold_files(spark_lh)) >= 30 and rows_compared > 1000   # real marts, not empty files


def test_the_work_ran_on_the_workers_executors(cluster_run, spark_cluster):
    executors = [e for e in cluster_control.app_executors(spark_cluster) if e["isActive"]]
    driver = [e for e in executors if e["id"] == "driver"]
    on_workers = [e for e in executors if e["id"] != "driver"]
    assert driver[0]["totalTasks"] == 0
    assert len(on_workers) == 2 and all(e["completedTasks"] > 0 for e in on_workers), on_workers
    # each Worker runs one executor of the Thrift server's application, as its own child process
    for worker in cluster_control.master_status(spark_cluster)["workers"]:
        with urllib.request.urlopen(f"{worker['webuiaddress']}/json/", timeout=5) as response:
            assert [e["appid"] for e in json.load(response)["executors"]] == [spark_cluster.app_id]
    for role in ("worker-1", "worker-2"):
        children = [Path(f"/proc/{pid}/cmdline").read_bytes()
                    for pid, _ in processes.descendants([spark_cluster.pids[role]])]
        assert sum(b"CoarseGrainedExecutorBackend" in c for c in children) == 1, role


def test_the_gold_export_reads_the_marts_through_the_thrift_connection(cluster_run, spark_cluster, tmp_path):
    from assets.gold import export_marts

    _, spark_lh, _ = cluster_run
    assert not (spark_lh / "spark").exists()       # no Spark table in the run's lakehouse
    names = sorted(gold_files(spark_lh))
    elsewhere = tmp_path / "elsewhere"             # nothing but an empty folder
    rows = export_marts(Lakehouse(elsewhere), local_state(str(elsewhere), {}), names, "spark",
                        spark_cluster.thrift_address)
    differences, rows_compared = mart_differences(gold_files(spark_lh), gold_files(elsewhere))
    assert not differences and sum(rows.values()) == rows_compared > 1000


def test_the_profiles_session_settings_reach_the_thrift_session(spark_cluster):
    profile = yaml.safe_load((PROJECT / "profiles.yml").read_text())["ccus"]["outputs"]["spark_thrift"]
    env_var = lambda name, default=None: os.environ.get(name, default)   # noqa: E731 (dbt's env_var)
    settings = {key: jinja2.Template(str(value)).render(env_var=env_var)
                for key, value in profile["server_side_parameters"].items()}
    assert settings["set:hiveconf:spark.sql.ansi.enabled"] == "false"
    with closing(connect(spark_cluster.thrift_address, settings)) as connection, closing(connection.cursor()) as cursor:
        for key, value in settings.items():
            name = key.removeprefix("set:hiveconf:")
            cursor.execute(f"set {name}")
            assert cursor.fetchall() == [(name, value)]
    # a bare key (as dbt-spark sends its own ANSI switch) does not reach the session
    with closing(connect(spark_cluster.thrift_address, {"spark.sql.shuffle.partitions": "7"})) as connection, \
            closing(connection.cursor()) as cursor:
        cursor.execute("set spark.sql.shuffle.partitions")
        assert cursor.fetchall() != [("spark.sql.shuffle.partitions", "7")]


def test_stop_ends_exactly_the_recorded_processes_and_what_they_forked(tmp_path):
    master = subprocess.Popen(["sleep", "300"])
    worker = subprocess.Popen(["bash", "-c", "sleep 300 & wait"])     # forks like a Worker its executor
    bystander = subprocess.Popen(["sleep", "300"])
    try:
        deadline = time.monotonic() + 10
        while not processes.descendants([worker.pid]) and time.monotonic() < deadline:
            time.sleep(0.05)
        [(forked, _)] = processes.descendants([worker.pid])
        cluster = cluster_control.Cluster(
            spark_dir=str(tmp_path), master_port=1, master_ui_port=2, thrift_port=3, app_ui_port=4,
            worker_ui_ports=[5], processes={
                "master": [master.pid, processes.start_ticks(master.pid)],
                "worker-1": [worker.pid, processes.start_ticks(worker.pid)],
                # the pid of a process that has since ended, now someone else's: its start time differs
                "thrift-server": [bystander.pid, processes.start_ticks(bystander.pid) - 1]})
        stopped = cluster_control.stop(cluster, timeout=5)
        assert sorted(stopped) == sorted([master.pid, worker.pid, forked])
        assert master.wait(5) == worker.wait(5) == -signal.SIGTERM
        assert not Path(f"/proc/{forked}").exists() or processes.stat(forked)[0] == "Z"
        assert bystander.poll() is None                                      # not ours: left running
    finally:
        for proc in (master, worker, bystander):
            proc.kill()
            proc.wait()
