"""A standalone Spark cluster on this machine: a Master, Workers and a Thrift server (README,
"Scaling out"; `ccus spark-cluster start|status|stop`).

The same processes a real cluster runs, from the pyspark wheel (nothing is downloaded): the
standalone Master, one Worker JVM per worker (each offers `worker_cores` cores and
`worker_memory_mb` to executors), and HiveThriftServer2 submitted to the Master, whose driver
keeps the catalog (embedded Derby) and whose executors run on the Workers. Everything listens on
127.0.0.1 only (SPARK_LOCAL_IP, the web UIs too), on ports picked free at start. The warehouse
and the metastore are the lakehouse's local Spark state (Lakehouse.spark_dir): the same catalog
the in-process session uses, so only one of them runs at a time (Derby admits one JVM).

The controller records every process it started (pid and kernel start time) in
<spark_dir>/cluster/cluster.json; `stop` signals exactly those pids, and the executors the
Workers forked, and nothing whose start time differs (a pid reused by another program).
"""
from __future__ import annotations

import json
import os
import socket
import time
import urllib.request
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyspark

from ccus.hive_llap_stub import write_stub_jar
from ccus.processes import descendants, is_running, listening_addresses, spawn, terminate
from ccus.spark_thrift import answers

SPARK_HOME = Path(pyspark.__file__).parent
LOOPBACK = "127.0.0.1"
APP_NAME = "ccus-thrift"
MAX_WORKER_MEMORY_MB = 1536
MASTER = "org.apache.spark.deploy.master.Master"
WORKER = "org.apache.spark.deploy.worker.Worker"
THRIFT_SERVER = "org.apache.spark.sql.hive.thriftserver.HiveThriftServer2"

# WARN everywhere, INFO for the Master and Workers (registrations, executors launched and lost):
# the Thrift server logs every statement at INFO, megabytes a build.
LOG4J2 = """\
rootLogger.level = warn
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n
logger.deploy.name = org.apache.spark.deploy
logger.deploy.level = info
"""


class ClusterError(RuntimeError):
    pass


@dataclass(frozen=True)
class ClusterSettings:
    spark_dir: str
    workers: int = 2
    worker_cores: int = 1
    worker_memory_mb: int = 1024
    driver_memory_mb: int = 1024
    daemon_memory_mb: int = 512          # heap of the Master and Worker JVMs themselves
    shuffle_partitions: int = 4
    start_timeout: float = 300.0
    # The environment the cluster's processes start in (the entry point's, e.g. os.environ of the
    # `ccus` command), plus the Spark variables; out of repr (it may hold keys).
    environ: Mapping[str, str] = field(kw_only=True, repr=False)

    def __post_init__(self):
        if not 0 < self.worker_memory_mb <= MAX_WORKER_MEMORY_MB:
            raise ValueError(f"worker memory {self.worker_memory_mb} MB: at most {MAX_WORKER_MEMORY_MB} MB")
        if self.workers < 1 or self.worker_cores < 1:
            raise ValueError("a cluster needs at least one worker with one core")


@dataclass
class Cluster:
    """A started cluster as cluster.json records it."""

    spark_dir: str
    master_port: int
    master_ui_port: int
    thrift_port: int
    app_ui_port: int
    worker_ui_ports: list[int]
    processes: dict[str, list[int]] = field(default_factory=dict)   # role -> [pid, start ticks]
    app_id: str = ""

    @property
    def master_url(self) -> str:
        return f"spark://{LOOPBACK}:{self.master_port}"

    @property
    def master_ui(self) -> str:
        return f"http://{LOOPBACK}:{self.master_ui_port}"

    @property
    def app_ui(self) -> str:
        return f"http://{LOOPBACK}:{self.app_ui_port}"

    @property
    def thrift_address(self) -> str:
        return f"{LOOPBACK}:{self.thrift_port}"

    @property
    def pids(self) -> dict[str, int]:
        return {role: pid for role, (pid, _) in self.processes.items()}


def cluster_dir(spark_dir: str) -> Path:
    return Path(spark_dir) / "cluster"


def state_file(spark_dir: str) -> Path:
    return cluster_dir(spark_dir) / "cluster.json"


def load(spark_dir: str) -> Cluster | None:
    path = state_file(spark_dir)
    return Cluster(**json.loads(path.read_text())) if path.exists() else None


def _save(cluster: Cluster) -> None:
    path = state_file(cluster.spark_dir)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(cluster), indent=2))
    os.replace(tmp, path)


# --------------------------------------------------------------------------------------------
# start
# --------------------------------------------------------------------------------------------
def free_ports(count: int) -> list[int]:
    """Ports free on 127.0.0.1 now (all held open together, so no two are the same)."""
    sockets = []
    try:
        for _ in range(count):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind((LOOPBACK, 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def _write_conf(settings: ClusterSettings, cluster: Cluster, conf_dir: Path) -> None:
    spark_dir = str(Path(settings.spark_dir).resolve())
    stub_jar = write_stub_jar(conf_dir)     # written once, named for the driver and the executors
    defaults = {
        "spark.master": cluster.master_url,
        "spark.master.rest.enabled": "false",       # its fixed port 6066 would clash between clusters
        "spark.driver.memory": f"{settings.driver_memory_mb}m",
        "spark.driver.host": LOOPBACK,
        "spark.driver.bindAddress": LOOPBACK,
        "spark.ui.port": str(cluster.app_ui_port),
        "spark.executor.memory": f"{settings.worker_memory_mb}m",
        "spark.executor.cores": str(settings.worker_cores),
        "spark.cores.max": str(settings.workers * settings.worker_cores),
        "spark.sql.warehouse.dir": f"{spark_dir}/warehouse",
        "spark.hadoop.javax.jdo.option.ConnectionURL":
            f"jdbc:derby:;databaseName={spark_dir}/metastore_db;create=true",
        "spark.driver.extraJavaOptions": f"-Dderby.system.home={spark_dir}",
        # What the dbt profile also sets per session, as the server's own defaults.
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
        "spark.sql.parquet.mergeSchema": "true",
        "spark.sql.shuffle.partitions": str(settings.shuffle_partitions),
        "spark.ui.showConsoleProgress": "false",
        # Each statement answers when it is done: dbt-spark polls a running one once a second,
        # and most of the project's statements take well under a second here.
        "spark.sql.hive.thriftServer.async": "false",
        # Hive's function registry needs two interfaces Spark 4 no longer ships: without them a
        # session's close fails, then hangs every later one (ccus/hive_llap_stub.py)
        "spark.driver.extraClassPath": str(stub_jar),
        "spark.executor.extraClassPath": str(stub_jar),    # the same path: one machine
    }
    conf_dir.mkdir(parents=True, exist_ok=True)
    (conf_dir / "spark-defaults.conf").write_text("".join(f"{k} {v}\n" for k, v in defaults.items()))
    (conf_dir / "log4j2.properties").write_text(LOG4J2)


def _environment(settings: ClusterSettings, conf_dir: Path) -> dict[str, str]:
    return {**settings.environ, "SPARK_HOME": str(SPARK_HOME), "SPARK_CONF_DIR": str(conf_dir),
            "SPARK_LOCAL_IP": LOOPBACK, "SPARK_DAEMON_MEMORY": f"{settings.daemon_memory_mb}m"}


def _launch(cluster: Cluster, role: str, args: list[str], env: dict[str, str]) -> None:
    home = cluster_dir(cluster.spark_dir)
    cluster.processes[role] = list(spawn(args, home / f"{role}.log", env, home))
    _save(cluster)


def master_status(cluster: Cluster) -> dict:
    with urllib.request.urlopen(f"{cluster.master_ui}/json/", timeout=5) as response:
        return json.load(response)


def app_executors(cluster: Cluster) -> list[dict]:
    """The Thrift server application's executors (and its driver) from its REST API."""
    url = f"{cluster.app_ui}/api/v1/applications/{cluster.app_id}/executors"
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.load(response)


def _active_executors(cluster: Cluster) -> list[dict]:
    return [e for e in app_executors(cluster) if e["id"] != "driver" and e["isActive"]]


def _wait_for(cluster: Cluster, what: str, ready, timeout: float):
    """Poll ready() until it returns something true; fail early when a process of ours died."""
    deadline = time.monotonic() + timeout
    while True:
        for role, (pid, ticks) in cluster.processes.items():
            if not is_running(pid, ticks):
                raise ClusterError(f"{role} (pid {pid}) exited while waiting for {what}; its log: "
                                   f"{cluster_dir(cluster.spark_dir) / (role + '.log')}\n{_log_tail(cluster, role)}")
        try:
            result = ready()
        except (OSError, ValueError):       # not listening yet, or a UI still starting (not JSON yet)
            result = None
        if result:
            return result
        if time.monotonic() > deadline:
            raise ClusterError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.5)


def _log_tail(cluster: Cluster, role: str, lines: int = 15) -> str:
    path = cluster_dir(cluster.spark_dir) / f"{role}.log"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""


def start(settings: ClusterSettings) -> Cluster:
    """Start the Master, the Workers and the Thrift server and wait until all are healthy; on any
    failure stop what was started and raise. A healthy cluster already recorded is returned as is."""
    existing = load(settings.spark_dir)
    if existing is not None:
        if status(existing)["healthy"]:
            return existing
        stop(existing)                        # a stale record, or a cluster half gone
    home = cluster_dir(settings.spark_dir)
    home.mkdir(parents=True, exist_ok=True)
    ports = free_ports(4 + settings.workers)
    cluster = Cluster(spark_dir=settings.spark_dir, master_port=ports[0], master_ui_port=ports[1],
                      thrift_port=ports[2], app_ui_port=ports[3], worker_ui_ports=ports[4:])
    conf_dir = home / "conf"
    _write_conf(settings, cluster, conf_dir)
    env = _environment(settings, conf_dir)
    spark_class = str(SPARK_HOME / "bin" / "spark-class")
    try:
        _launch(cluster, "master", [spark_class, MASTER, "--host", LOOPBACK, "--port", str(cluster.master_port),
                                    "--webui-port", str(cluster.master_ui_port)], env)
        _wait_for(cluster, "the Master", lambda: master_status(cluster).get("status") == "ALIVE",
                  settings.start_timeout)
        for n, ui_port in enumerate(cluster.worker_ui_ports, start=1):
            work_dir = home / f"worker-{n}"
            _launch(cluster, f"worker-{n}", [
                spark_class, WORKER, "--host", LOOPBACK, "--webui-port", str(ui_port),
                "--cores", str(settings.worker_cores), "--memory", f"{settings.worker_memory_mb}m",
                "--work-dir", str(work_dir), cluster.master_url], env)
        _wait_for(cluster, f"{settings.workers} Workers to register",
                  lambda: master_status(cluster).get("aliveworkers") == settings.workers, settings.start_timeout)
        _launch(cluster, "thrift-server", [
            str(SPARK_HOME / "bin" / "spark-submit"), "--class", THRIFT_SERVER, "--name", APP_NAME,
            "--hiveconf", f"hive.server2.thrift.port={cluster.thrift_port}",
            "--hiveconf", f"hive.server2.thrift.bind.host={LOOPBACK}", "spark-internal"], env)
        cores = settings.workers * settings.worker_cores
        app = _wait_for(cluster, "the Thrift server's executors on the Workers",
                        lambda: _running_app(master_status(cluster), cores), settings.start_timeout)
        cluster.app_id = app["id"]
        _save(cluster)
        _wait_for(cluster, "the executors to register with the Thrift server",
                  lambda: len(_active_executors(cluster)) == settings.workers, settings.start_timeout)
        _wait_for(cluster, "the Thrift server to answer", lambda: answers(cluster.thrift_address),
                  settings.start_timeout)
    except BaseException:
        stop(cluster)
        raise
    return cluster


def _running_app(master: dict, cores: int) -> dict | None:
    """The Thrift server's application once it holds all the cores it asked for."""
    for app in master.get("activeapps", []):
        if app["name"] == APP_NAME and app["state"] == "RUNNING" and app["cores"] == cores:
            return app
    return None


# --------------------------------------------------------------------------------------------
# status and stop
# --------------------------------------------------------------------------------------------
def status(cluster: Cluster) -> dict:
    """Health of every part; `healthy` when all processes run, every Worker is ALIVE, the
    application holds its executors, the Thrift server answers and nothing listens beyond 127.0.0.1."""
    report: dict = {"processes": {role: is_running(pid, ticks) for role, (pid, ticks) in cluster.processes.items()},
                    "master_ui": cluster.master_ui, "thrift": cluster.thrift_address, "app_id": cluster.app_id}
    try:
        master = master_status(cluster)
        report["master"] = master.get("status")
        report["workers_alive"] = master.get("aliveworkers", 0)
        apps = [a for a in master.get("activeapps", []) if a["id"] == cluster.app_id]
        report["app_cores"] = apps[0]["cores"] if apps else 0
    except (OSError, ValueError) as error:
        report["master"] = f"unreachable: {error}"
    expected_workers = len(cluster.worker_ui_ports)
    try:
        report["executors"] = len(_active_executors(cluster))
    except (OSError, ValueError):
        report["executors"] = 0
    report["thrift_answers"] = answers(cluster.thrift_address) if report["processes"].get("thrift-server") else False
    running = [pid for role, (pid, ticks) in cluster.processes.items() if is_running(pid, ticks)]
    listeners = listening_addresses(running + [pid for pid, _ in descendants(running)])
    report["listeners_not_loopback"] = sorted(a for found in listeners.values() for a in found
                                              if not a.startswith(f"{LOOPBACK}:"))
    report["healthy"] = (all(report["processes"].values()) and len(report["processes"]) == expected_workers + 2
                         and report["master"] == "ALIVE" and report["workers_alive"] == expected_workers
                         and report["executors"] == expected_workers and report["thrift_answers"]
                         and not report["listeners_not_loopback"])
    return report


def stop(cluster: Cluster, timeout: float = 30.0) -> list[int]:
    """Stop the Thrift server, then the Workers (and their executors), then the Master: SIGTERM,
    and SIGKILL for what is still there after `timeout`. Returns the pids stopped."""
    ours = [(pid, ticks) for pid, ticks in cluster.processes.values() if is_running(pid, ticks)]
    forked = descendants([pid for pid, _ in ours])      # executors, launched by the Workers
    order = ["thrift-server"] + sorted(r for r in cluster.processes if r.startswith("worker-")) + ["master"]
    for role in order:
        if role in cluster.processes:
            terminate([tuple(cluster.processes[role])], timeout)
    terminate(ours + forked, 5)                         # an executor its Worker left behind
    path = state_file(cluster.spark_dir)
    if path.exists():
        path.unlink()
    return [pid for pid, _ in ours + forked]
