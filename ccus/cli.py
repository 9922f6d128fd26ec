"""The `ccus` command: simulate, run, dev."""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from ccus.dev_server import supervise
from ccus.engine import DEFAULT_ENGINE, ENGINES
from ccus.paths import REPO_ROOT
from simulator import cli as simulator_cli   # the entry point wires the simulator tool in (nothing else in ccus/ may)

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")

DAGSTER_YAML = """\
# Written by `ccus dev`. Telemetry off (its upload has no timeout on a closed network); one run at
# a time, so only one process ever writes the DuckDB warehouse.
telemetry:
  enabled: false
run_coordinator:
  module: dagster.core.run_coordinator
  class: QueuedRunCoordinator
  config:
    max_concurrent_runs: 1
"""


def _cmd_simulate(args) -> int:
    return simulator_cli.run(args) or 0


def _cmd_run(args) -> int:
    from ccus.runner import run_pipeline, summary

    from ccus.lock import LakehouseBusy

    from ccus.runner import RunReport, short_error

    started = dt.datetime.now()
    try:
        report = run_pipeline(str(args.inbox), args.lakehouse, wait_seconds=args.wait, engine=args.engine)
    except LakehouseBusy as busy:
        print(f"ccus run refused: {busy}", file=sys.stderr)
        return 75  # EX_TEMPFAIL: try again later
    except Exception as error:  # e.g. the inbox or the store unreachable before any run started
        report = RunReport(ok=False, failures=[f"before the runs: {short_error(error)}"])
    print(summary(args.lakehouse, report, started))
    return 0 if report.ok else 1


def ensure_dagster_home(path: Path) -> Path:
    path = path.resolve()
    path.mkdir(parents=True, exist_ok=True)
    config = path / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML)
    return path


def _cmd_dev(args) -> int:
    from assets.dbt_project import ensure_manifest

    home = ensure_dagster_home(Path(os.environ.get("DAGSTER_HOME", REPO_ROOT / ".dagster_home")))
    env = dict(os.environ, DAGSTER_HOME=str(home))
    for name, value in (("CCUS_LAKEHOUSE", args.lakehouse), ("CCUS_INBOX", args.inbox)):
        env[name] = value if str(value).startswith("s3://") else os.path.abspath(value)
    ensure_manifest()
    dagster = Path(sys.executable).parent / "dagster"
    command = [str(dagster), "dev", "-w", str(REPO_ROOT / "workspace.yaml"), "-h", "127.0.0.1", "-p", str(args.port)]
    print(f"Dagster UI on http://127.0.0.1:{args.port} (DAGSTER_HOME={home}); Ctrl-C stops it", flush=True)
    return supervise(command, cwd=str(REPO_ROOT), env=env)


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
    p.set_defaults(func=_cmd_run)

    p = sub.add_parser("dev", help="start the Dagster UI on 127.0.0.1 (persistent DAGSTER_HOME)")
    p.add_argument("--inbox", default="inbox")
    p.add_argument("--lakehouse", default="lakehouse")
    p.add_argument("--port", type=int, default=3000)
    p.set_defaults(func=_cmd_dev)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
