"""The `ccus` command: simulate, run, dev."""
from __future__ import annotations

import argparse
import atexit
import datetime as dt
import json
import os
import sys
from pathlib import Path

from orchestration.quiet_libraries import quiet_libraries

quiet_libraries(os.environ)   # the edge: before the libraries below are imported and run

from ccus import spark_cluster
from ccus.engine import DEFAULT_ENGINE, ENGINES
from ccus.feeds.inbox import InboxMissing
from ccus.lock import LakehouseBusy
from ccus.paths import REPO_ROOT
from ccus.printable import printable
from ccus.settings import Settings, SettingsError, absolute_root, local_state
from ccus.spark_thrift import parse_address
from orchestration.dagster_home import ensure_dagster_home
from orchestration.dev_server import supervise
from orchestration.runner import RunReport, run_on_console, short_error, summary
from simulator import cli as simulator_cli   # the command line wires the simulator tool in (nothing else in the platform may)


def _cmd_simulate(args) -> int:
    return simulator_cli.run(args) or 0


def _settings(args) -> Settings:
    return Settings.from_environ(os.environ, lakehouse=args.lakehouse, inbox=args.inbox,
                                 engine=getattr(args, "engine", None),
                                 spark_thrift=getattr(args, "spark_thrift", None))


def _cmd_run(args) -> int:
    started = dt.datetime.now()
    try:
        settings = _settings(args)
        report = run_on_console(settings, sys.stdout, args.quiet, args.verbose, wait_seconds=args.wait)
    except (SettingsError, InboxMissing) as error:  # nothing was written
        print(f"ccus run: {printable(error)}", file=sys.stderr)
        return 2  # EX_USAGE-like: the command cannot run as given
    except LakehouseBusy as busy:
        print(f"ccus run refused: {printable(busy)}", file=sys.stderr)
        return 75  # EX_TEMPFAIL: try again later
    except Exception as error:  # e.g. the store unreachable before any run started
        report = RunReport(ok=False, failures=[f"before the runs: {short_error(error)}"])
    print(summary(settings, report, started), flush=True)
    sys.stderr.flush()
    return 0 if report.ok else 1


def _cmd_dev(args) -> int:
    try:
        settings = _settings(args)
    except SettingsError as error:
        print(f"ccus dev: {printable(error)}", file=sys.stderr)
        return 2
    home = ensure_dagster_home(settings.dagster_home)
    # The Dagster process builds the same settings from these (orchestration/resources.py).
    env = dict(os.environ, DAGSTER_HOME=str(home), CCUS_LAKEHOUSE=settings.lakehouse, CCUS_INBOX=settings.inbox)
    dagster = Path(sys.executable).parent / "dagster"
    command = [str(dagster), "dev", "-w", str(REPO_ROOT / "workspace.yaml"), "-h", "127.0.0.1", "-p", str(args.port)]
    print(f"Dagster UI on http://127.0.0.1:{args.port} (DAGSTER_HOME={home}); Ctrl-C stops it", flush=True)
    return supervise(command, cwd=str(REPO_ROOT), env=env)


def _cmd_spark_cluster(args) -> int:
    spark_dir = str(local_state(absolute_root(args.lakehouse), os.environ).spark_dir)
    if args.action == "start":
        started = dt.datetime.now()
        try:
            cluster = spark_cluster.start(spark_cluster.ClusterSettings(
                spark_dir=spark_dir, workers=args.workers, worker_memory_mb=args.worker_memory, environ=os.environ))
        except (spark_cluster.ClusterError, ValueError) as error:   # what it started is stopped again
            print(f"ccus spark-cluster start failed: {error}", file=sys.stderr)
            return 1
        print(f"Spark cluster up in {(dt.datetime.now() - started).total_seconds():.0f} s: Master "
              f"{cluster.master_url} (UI {cluster.master_ui}), {args.workers} Workers, Thrift server "
              f"{cluster.thrift_address}; logs in {spark_cluster.cluster_dir(spark_dir)}\n"
              f"Run on it:  ccus run --engine spark --spark-thrift {cluster.thrift_address} "
              f"--inbox INBOX --lakehouse {args.lakehouse}\n"
              f"Stop it:    ccus spark-cluster stop --lakehouse {args.lakehouse}")
        return 0
    cluster = spark_cluster.load(spark_dir)
    if cluster is None:
        print(f"no Spark cluster recorded in {spark_cluster.state_file(spark_dir)}", file=sys.stderr)
        return 1
    if args.action == "stop":
        print("stopped pids " + " ".join(map(str, spark_cluster.stop(cluster))))
        return 0
    report = spark_cluster.status(cluster)
    print(json.dumps(report, indent=2))
    return 0 if report["healthy"] else 1


def _thrift_address(value: str) -> str:
    if value:
        try:
            parse_address(value)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ccus", description="CCUS data platform")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("simulate", help="write a contract-conformant sample inbox")
    simulator_cli.add_arguments(p)
    p.set_defaults(func=_cmd_simulate)

    p = sub.add_parser("run", help="ingest an inbox, build all models, run all checks, publish the pages")
    p.add_argument("--inbox", required=True, help="inbox folder or s3:// prefix")
    p.add_argument("--lakehouse", default="lakehouse", help="lakehouse folder or s3://bucket/prefix")
    p.add_argument("--wait", type=float, default=0.0,
                   help="seconds to wait when another run is writing the same warehouse (default: refuse at once)")
    p.add_argument("--engine", choices=ENGINES, default=os.environ.get("CCUS_ENGINE", DEFAULT_ENGINE),
                   help="engine of the dbt models: duckdb (one machine) or spark (default: $CCUS_ENGINE or duckdb)")
    p.add_argument("--spark-thrift", type=_thrift_address, default=os.environ.get("CCUS_SPARK_THRIFT", ""),
                   metavar="HOST:PORT",
                   help="with --engine spark: run on the cluster of this Spark Thrift Server instead of an "
                        "in-process session (default: $CCUS_SPARK_THRIFT)")
    shown = p.add_mutually_exclusive_group()
    shown.add_argument("--quiet", action="store_true", help="no progress display: only the summary")
    shown.add_argument("--verbose", action="store_true",
                       help="Dagster's log and dbt's lines on the console (else in the run's log file), "
                            "plain progress lines")
    p.set_defaults(func=_cmd_run)

    p = sub.add_parser("spark-cluster", help="start, check or stop a standalone Spark cluster on 127.0.0.1 "
                                             "(Master, Workers, Thrift server) for --engine spark")
    p.add_argument("action", choices=["start", "status", "stop"])
    p.add_argument("--lakehouse", default="lakehouse", help="the lakehouse whose Spark state (catalog, "
                                                            "warehouse) the cluster keeps")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--worker-memory", type=int, default=1024, metavar="MB",
                   help="memory each Worker offers its executor (at most 1536)")
    p.set_defaults(func=_cmd_spark_cluster)

    p = sub.add_parser("dev", help="start the Dagster UI on 127.0.0.1 (persistent DAGSTER_HOME)")
    p.add_argument("--inbox", default="inbox")
    p.add_argument("--lakehouse", default="lakehouse")
    p.add_argument("--port", type=int, default=3000)
    p.set_defaults(func=_cmd_dev)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


def entry() -> None:
    """The installed `ccus` command: :func:`main`, the exit handlers, then exit with its status
    without the rest of the interpreter's teardown. A native library's background thread
    (DuckDB's, Arrow's, HiGHS's) can abort that teardown after the work is done and reported:
    `ccus run` once printed its summary "OK" and then died with "terminate called without an
    active exception" (SIGABRT, status -6; DuckDB issue 13904 describes one such case).
    Everything the command writes is closed by then (atomic files, the Dagster instance's
    database); the exit handlers still run (logging's flush, multiprocessing's clean-up of its
    semaphores, without which its resource tracker warns of a leak on the terminal)."""
    status = main()
    atexit._run_exitfuncs()     # what the interpreter runs first on exit; the teardown after it is skipped
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(int(status or 0))


if __name__ == "__main__":
    entry()
