"""One pipeline step in a process of its own, so the benchmark can time it and measure its peak
memory (Dagster, and dbt's subprocess, included):

    python bench/steps.py ingest  --inbox DIR --lakehouse DIR   every feed into bronze (+ audit, holidays)
    python bench/steps.py dbt     --inbox DIR --lakehouse DIR   dbt build (models and tests)
    python bench/steps.py publish --inbox DIR --lakehouse DIR   gold export and the pages
    python bench/steps.py gold    --inbox DIR --lakehouse DIR   the gold export alone (no pages)
    python bench/steps.py run     --inbox DIR --lakehouse DIR   all of it, as `ccus run` does
    --engine spark [--spark-thrift HOST:PORT]                   dbt (and the gold export) on Spark
                                                                (a local session, or that cluster)

The steps execute the jobs `ccus run` executes (orchestration/jobs.py: daily ingest, then refresh),
split at the asset boundaries: ingestion assets (group bronze), the dbt assets, everything after them.
Prints one JSON line: {"ok": ..., "seconds": ..., "failures": [...], "rows_read": ...}.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from orchestration.quiet_libraries import quiet_libraries  # noqa: E402  (after the path above)

quiet_libraries(os.environ)   # the edge: before Dagster, dbt and GX are imported

import dagster as dg  # noqa: E402

from assets.dbt import ccus_dbt_models  # noqa: E402
from assets.gold import gold_marts  # noqa: E402
from ccus.engine import data_tests_run  # noqa: E402
from ccus.feeds.inbox import Inbox  # noqa: E402
from ccus.quality_checks import close_idle_workers  # noqa: E402
from ccus.settings import Settings  # noqa: E402
from orchestration.assembly import ASSETS, definitions  # noqa: E402
from orchestration.jobs import DAILY_INGEST, refresh_job_name  # noqa: E402
from orchestration.resources import resources as settings_resources  # noqa: E402
from orchestration.runner import RANGE_END, RANGE_START, RunReport, execute, run_pipeline  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("step", choices=["ingest", "dbt", "publish", "gold", "run"])
    ap.add_argument("--inbox", required=True)
    ap.add_argument("--lakehouse", required=True)
    ap.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb")
    ap.add_argument("--spark-thrift", default="", metavar="HOST:PORT", help="Spark on this Thrift server's cluster")
    args = ap.parse_args(argv)

    started = time.monotonic()
    settings = Settings.from_environ(os.environ, lakehouse=args.lakehouse, inbox=args.inbox, engine=args.engine,
                                     spark_thrift=args.spark_thrift)
    report = RunReport()
    if args.step == "run":
        report = run_pipeline(settings)
        print(json.dumps({"ok": report.ok, "seconds": round(time.monotonic() - started, 2),
                          "failures": report.failures, "checks_failed": report.checks_failed}))
        return 0 if report.ok else 1

    # The jobs `ccus run` executes (orchestration/jobs.py), each step a part of them.
    defs = definitions(settings_resources(settings))
    instance = dg.DagsterInstance.ephemeral()
    refresh = refresh_job_name(data_tests_run(settings.engine, settings.spark_data_tests))
    refreshed = [a for a in ASSETS if a.partitions_def is None]
    bronze = [k for a in refreshed for k in a.keys if k.path[0] == "bronze"]
    if args.step == "ingest":
        days = sorted({f.file_date for f in Inbox(settings.inbox).files() if f.feed is not None and f.feed.partitioned})
        if days:
            result = execute(defs, DAILY_INGEST, instance,
                             tags={RANGE_START: days[0].isoformat(), RANGE_END: days[-1].isoformat()})
            report.absorb(result, "daily ingest")
        selection = bronze
    elif args.step == "dbt":
        selection = sorted(ccus_dbt_models.keys, key=lambda k: k.to_user_string())
    elif args.step == "gold":
        selection = list(gold_marts.keys)
    else:
        selection = [k for a in refreshed if a is not ccus_dbt_models for k in a.keys if k not in bronze]
    if report.ok and selection:
        report.absorb(execute(defs, refresh, instance, asset_selection=selection), args.step)
    # The quality checks' processes end here and are waited for, as `ccus run` ends them: left to
    # end with this process, their CPU (a third of a national ingestion's) was not counted to the
    # step by the benchmark, which reads the CPU of the processes it has waited for.
    close_idle_workers()
    print(json.dumps({"ok": report.ok, "seconds": round(time.monotonic() - started, 2),
                      "failures": report.failures, "checks_failed": report.checks_failed,
                      "materialized": report.materialized}))
    return 0 if report.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
