"""One pipeline step in a process of its own, so the benchmark can time it and measure its peak
memory (Dagster, and dbt's subprocess, included):

    python bench/steps.py ingest  --inbox DIR --lakehouse DIR   every feed into bronze (+ audit, holidays)
    python bench/steps.py dbt     --inbox DIR --lakehouse DIR   dbt build (models and tests)
    python bench/steps.py publish --inbox DIR --lakehouse DIR   gold export and the pages
    python bench/steps.py gold    --inbox DIR --lakehouse DIR   the gold export alone (no pages)
    python bench/steps.py run     --inbox DIR --lakehouse DIR   all of it, as `ccus run` does
    --engine spark [--spark-thrift HOST:PORT]                   dbt (and the gold export) on Spark
                                                                (a local session, or that cluster)

The steps are the same Dagster assets `ccus run` materialises (orchestration/runner.py), split at the
asset boundaries: ingestion assets (group bronze), the dbt assets, everything after them.
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


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("step", choices=["ingest", "dbt", "publish", "gold", "run"])
    ap.add_argument("--inbox", required=True)
    ap.add_argument("--lakehouse", required=True)
    ap.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb")
    ap.add_argument("--spark-thrift", default="", metavar="HOST:PORT", help="Spark on this Thrift server's cluster")
    args = ap.parse_args(argv)

    started = time.monotonic()
    import dagster as dg

    from assets.dbt_project import ensure_manifest

    ensure_manifest()
    from assets.dbt import ccus_dbt_models
    from assets.ingest import FEED_ASSETS
    from ccus.feeds.inbox import Inbox
    from orchestration.runner import RANGE_END, RANGE_START, RUN_CONFIG, RunReport, run_pipeline
    from ccus.settings import Settings
    from orchestration.definitions import defs
    from orchestration.resources import resources as settings_resources

    settings = Settings.from_environ(os.environ, lakehouse=args.lakehouse, inbox=args.inbox, engine=args.engine,
                                     spark_thrift=args.spark_thrift)
    inbox = settings.inbox
    report = RunReport()
    if args.step == "run":
        report = run_pipeline(settings)
        print(json.dumps({"ok": report.ok, "seconds": round(time.monotonic() - started, 2),
                          "failures": report.failures, "checks_failed": report.checks_failed}))
        return 0 if report.ok else 1

    resources = settings_resources(settings)
    instance = dg.DagsterInstance.ephemeral()
    partitioned = [a for a in FEED_ASSETS if a.partitions_def is not None]
    rest = [a for a in defs.assets if a not in partitioned]
    dbt_keys = set(ccus_dbt_models.keys)
    bronze = [a for a in rest if all(k.path[0] == "bronze" for k in a.keys)]
    after = [k for a in rest if a not in bronze and a is not ccus_dbt_models for k in a.keys]

    if args.step == "ingest":
        days = sorted({f.file_date for f in Inbox(inbox).files() if f.feed is not None and f.feed.partitioned})
        if days:
            result = dg.materialize(partitioned, resources=resources, instance=instance, raise_on_error=False,
                                    run_config=RUN_CONFIG,
                                    tags={RANGE_START: days[0].isoformat(), RANGE_END: days[-1].isoformat()})
            report.absorb(result, "daily ingest")
        selection = [k for a in bronze for k in a.keys]
    elif args.step == "dbt":
        selection = sorted(dbt_keys, key=lambda k: k.to_user_string())
        if args.engine == "spark":
            from ccus.engine import data_tests_run

            if not data_tests_run("spark", settings.spark_data_tests):  # unselected, as orchestration/runner.py does
                selection = dg.AssetSelection.assets(*selection) - dg.AssetSelection.checks_for_assets(
                    ccus_dbt_models)
    elif args.step == "gold":
        from assets.gold import gold_marts

        selection = list(gold_marts.keys)
    else:
        selection = after
    if report.ok and selection:
        result = dg.materialize(rest, resources=resources, instance=instance, raise_on_error=False,
                                run_config=RUN_CONFIG, selection=selection)
        report.absorb(result, args.step)
    print(json.dumps({"ok": report.ok, "seconds": round(time.monotonic() - started, 2),
                      "failures": report.failures, "checks_failed": report.checks_failed,
                      "materialized": report.materialized}))
    return 0 if report.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
