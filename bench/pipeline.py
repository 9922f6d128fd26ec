"""The platform's steps measured one process each (bench/steps.py): ingest, dbt build, publish
(or the gold export alone), and dbt on Spark, in-process or on a standalone cluster, with its
marts against DuckDB's gold."""
from __future__ import annotations

import shutil
import time
from pathlib import Path

from engine_equality import compare_cluster_marts, compare_spark_marts
from inboxes import rows_in_audit
from measuring import PY, REPO, measure, tree_rss_mb

from ccus import spark_cluster


def run_pipeline(run_inbox: Path, lakehouse: Path, env: dict, logs: Path, label: str, rows_before: int,
                 publish: bool = True) -> dict:
    out: dict = {}
    # Without pages, the gold export still runs: the baselines compare their marts with gold.
    for step in ("ingest", "dbt", "publish") if publish else ("ingest", "dbt", "gold"):
        m = measure([PY, str(REPO / "bench" / "steps.py"), step, "--inbox", str(run_inbox), "--lakehouse",
                     str(lakehouse)], env=env, log=logs / f"{label}-{step}.log")
        result = m.pop("result") or {}
        m["ok"] = m["rc"] == 0 and bool(result.get("ok"))
        if result.get("failures"):
            m["failures"] = result["failures"][:5]
        if result.get("checks_failed"):
            m["checks_failed"] = result["checks_failed"][:10]
        if step == "ingest":
            rows = rows_in_audit(lakehouse) - rows_before
            m["rows"] = rows
            m["rows_per_s"] = round(rows / m["seconds"]) if m["seconds"] else None
        out[step] = m
        print(f"{label} {step}: {m['seconds']} s (cpu {m['cpu_seconds']} s), peak {m['peak_rss_mb']:.0f} MB"
              + (f", {m['rows']:,} rows, {m['rows_per_s']:,} rows/s" if step == "ingest" else "")
              + ("" if m["ok"] else f"  FAILED: {m.get('failures') or 'see ' + str(logs / f'{label}-{step}.log')}"),
              flush=True)
        if not m["ok"] and step not in ("publish", "gold"):
            break
    steps = [out[s] for s in ("ingest", "dbt", "publish", "gold") if s in out]
    out["end_to_end"] = {"seconds": round(sum(s["seconds"] for s in steps), 2),
                         "cpu_seconds": round(sum(s["cpu_seconds"] for s in steps), 2),
                         "peak_rss_mb": max(s["peak_rss_mb"] for s in steps),
                         "ok": all(s["ok"] for s in steps) and len(steps) == 3}
    if not publish:
        out["end_to_end"]["note"] = "ingest + dbt build + gold export (no pages at this scale)"
    return out


def run_spark(run_inbox: Path, lakehouse: Path, env: dict, logs: Path, label: str) -> dict:
    """dbt on Spark over the bronze the DuckDB run ingested, then its marts against DuckDB's gold."""
    m = measure([PY, str(REPO / "bench" / "steps.py"), "dbt", "--engine", "spark", "--inbox", str(run_inbox),
                 "--lakehouse", str(lakehouse)], env={**env, "CCUS_SPARK_DATA_TESTS": "0"},
                log=logs / f"{label}.log")
    result = m.pop("result") or {}
    m["ok"] = m["rc"] == 0 and bool(result.get("ok"))
    if result.get("failures"):
        m["failures"] = result["failures"][:5]
    if m["ok"]:
        m["equal_to_duckdb_gold"] = compare_spark_marts(lakehouse)
    print(f"{label} dbt: {m['seconds']} s (cpu {m['cpu_seconds']} s), peak {m['peak_rss_mb']:.0f} MB"
          + (f"; marts equal to DuckDB's gold: {m['equal_to_duckdb_gold']}" if m["ok"] else
             f"  FAILED: {m.get('failures') or 'see ' + str(logs / f'{label}.log')}"), flush=True)
    return m


def run_spark_cluster(run_inbox: Path, lakehouse: Path, spark_dir: Path, env: dict, logs: Path, label: str) -> dict:
    """A standalone cluster started for the step (its start timed apart), dbt over thrift on the
    bronze the DuckDB run ingested, then its marts against DuckDB's gold; the cluster is stopped
    whatever happens."""
    shutil.rmtree(spark_dir, ignore_errors=True)
    settings = spark_cluster.ClusterSettings(spark_dir=str(spark_dir), worker_memory_mb=1536, environ=env)
    started = time.perf_counter()
    cluster = spark_cluster.start(settings)
    try:
        start_seconds = round(time.perf_counter() - started, 1)
        idle_mb = round(sum(tree_rss_mb(pid)[0] for pid in cluster.pids.values()), 1)
        m = measure([PY, str(REPO / "bench" / "steps.py"), "dbt", "--engine", "spark", "--spark-thrift",
                     cluster.thrift_address, "--inbox", str(run_inbox), "--lakehouse", str(lakehouse)],
                    env={**env, "CCUS_SPARK_DATA_TESTS": "0"}, log=logs / f"{label}.log",
                    also=tuple(cluster.pids.values()))
        result = m.pop("result") or {}
        m.update({"ok": m["rc"] == 0 and bool(result.get("ok")), "cluster_start_seconds": start_seconds,
                  "cluster_idle_rss_mb": idle_mb, "workers": settings.workers,
                  "worker_memory_mb": settings.worker_memory_mb})
        if result.get("failures"):
            m["failures"] = result["failures"][:5]
        if m["ok"]:
            m["equal_to_duckdb_gold"] = compare_cluster_marts(lakehouse, cluster.thrift_address)
    finally:
        spark_cluster.stop(cluster)
    print(f"{label}: cluster up in {start_seconds} s ({idle_mb:.0f} MB idle); dbt {m['seconds']} s, peak "
          f"{m['peak_rss_mb']:.0f} MB (dbt and the cluster's JVMs)"
          + (f"; marts equal to DuckDB's gold: {m['equal_to_duckdb_gold']}" if m["ok"] else
             f"  FAILED: {m.get('failures') or 'see ' + str(logs / f'{label}.log')}"), flush=True)
    return m
