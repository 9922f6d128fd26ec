"""`make bench`: the platform at small and national scale on this machine, beside a plain-DuckDB
baseline over the same bronze Parquet.

    python bench/run.py [--scales small,national,national-full] [--full-days 1] [--data bench/data]
                        [--reuse] [--keep] [--json bench/results.json]

Per scale, every step in a process of its own (wall and CPU seconds, peak memory of the whole
process tree and of its largest process, polled from /proc every 0.2 s):

1. simulate    `ccus simulate --scale S` (the scale's default period): rows/s written;
2. ingest      every feed into bronze (Dagster ingestion assets; bench/steps.py ingest): rows/s;
3. dbt         `dbt build` through Dagster (models and tests);
4. publish     gold export and the static pages;
   end-to-end = ingest + dbt + publish;
5. baseline    bench/baseline.py: the work-history-day dedup and adoption_national as plain
               DuckDB SQL over the same bronze Parquet (and whether it equals the pipeline's);
6. daily       the files of one more day (attendance, rosters, the registry delta of that day)
               added to the inbox: ingest + dbt + publish again, and the baseline again.
7. spark       (--spark-scales, none by default) the same dbt project on Spark over the same bronze: models and
               seeds (no tests: CCUS_SPARK_DATA_TESTS=0), an in-process local[2] session with
               its JVM start included; and whether every Spark mart equals DuckDB's gold.
8. cluster     (--spark-cluster-scales, small by default) the same on a standalone Spark cluster
               on this machine (ccus/spark_cluster.py: Master, two Workers of 1 core and 1.5 GB,
               Thrift server): its start, then dbt over thrift; memory = dbt's process tree plus
               every cluster JVM (executors included); its marts, read through the Thrift
               connection as the gold export does, against DuckDB's gold.

The last simulated day is held back from the first run and is the daily increment.
national-full runs on a documented fraction: the simulator writes the full-adoption registry
(3.3 M workers) and --full-days + 1 days of activity (the whole month with --full-month: 122 M
rows, 20 GB, ≈5 min); the pipeline ingests the initial registry delivery and the first
--full-days days of attendance and rosters, then the next day as the daily increment. Ingesting
the whole month (≈120 M rows) does not fit the 45 minutes of `make bench` on 2 cores.

Everything is written under bench/data/ (gitignored); results to bench/results.json.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

from baseline_runs import ratios, run_baseline, run_baseline_models, run_baseline_raw
from inboxes import link_into, rows_in_audit, split_inbox
from measuring import BIN, PY, REPO, machine, measure
from pipeline import run_pipeline, run_spark, run_spark_cluster
from report import table


def bench_scale(scale: str, data: Path, full_days: int, reuse: bool, keep: bool, logs: Path,
                full_month: bool = False, full_registry: bool = False, duckdb_memory: str | None = None,
                publish_scales: tuple[str, ...] = ("tiny", "small", "national"),
                spark_scales: tuple[str, ...] = (), daily_models_baseline: bool = False,
                spark_cluster_scales: tuple[str, ...] = ()) -> dict:
    work = data / scale
    inbox, run_inbox, lakehouse = work / "inbox", work / "inbox_run", work / "lakehouse"
    summary_file = work / "simulate.json"
    res: dict = {"scale": scale}
    print(f"\n== {scale} ==", flush=True)

    # 1. simulate
    if reuse and summary_file.exists() and inbox.exists():
        sim = json.loads(summary_file.read_text())
        print("simulate: reusing", inbox, flush=True)
    else:
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        cmd = [str(BIN / "ccus"), "simulate", "--scale", scale, "--out", str(inbox), "--json"]
        if scale == "national-full" and not full_month:
            cmd += ["--days", str(full_days + 1)]
        m = measure(cmd, log=logs / f"{scale}-simulate.log")
        if m["rc"] != 0 or not m["result"]:
            res["error"] = f"simulate failed (see {logs / f'{scale}-simulate.log'})"
            return res
        summary = m.pop("result")
        rows = sum(summary["rows"].values())
        sim = {**m, "rows": rows, "rows_per_feed": summary["rows"], "files": len(summary["files"]),
               "attendance_rows": summary["rows"]["attendance"], "days": summary["days"],
               "start": summary["start"], "entities": summary["entities"],
               "bytes": sum(p.stat().st_size for p in inbox.rglob("*") if p.is_file())}
        sim["rows_per_s"] = round(rows / m["seconds"])
        sim["attendance_rows_per_s"] = round(sim["attendance_rows"] / m["seconds"])
        sim["rows_per_cpu_s"] = round(rows / max(m["cpu_seconds"], 1e-9))
        summary_file.write_text(json.dumps(sim, indent=2))
    res["simulate"] = sim
    print(f"simulate: {sim['rows']:,} rows in {sim['seconds']} s ({sim['rows_per_s']:,} rows/s, "
          f"attendance {sim['attendance_rows_per_s']:,}/s), peak {sim['peak_rss_mb']:.0f} MB", flush=True)

    # 2-5. the pipeline on everything but the last day, and the baseline
    shutil.rmtree(run_inbox, ignore_errors=True)
    shutil.rmtree(lakehouse, ignore_errors=True)
    fraction = scale == "national-full" and not full_month     # the whole month: every file but the last day's
    base, incr, incr_day = split_inbox(inbox, full_days if fraction else None, full_registry)
    link_into(base, inbox, run_inbox)
    res["fraction"] = {"files": len(base), "increment_day": incr_day.isoformat(), "increment_files": len(incr)}
    if fraction:
        res["fraction"]["note"] = (
            f"pipeline on the first {full_days} day(s) of attendance and rosters"
            + (" and the initial registry delivery" if full_registry else
               " (not the 3.3 M-worker initial registry delivery: --no-full-registry)")
            + "; the next day as the daily increment")
    env = {"CCUS_WAREHOUSE_PATH": str(lakehouse / "warehouse.duckdb")}
    if duckdb_memory:
        env["CCUS_DUCKDB_MEMORY_LIMIT"] = duckdb_memory
    res["duckdb_memory_limit"] = duckdb_memory or os.environ.get("CCUS_DUCKDB_MEMORY_LIMIT", "4GB (platform default)")
    publish = scale in publish_scales
    if not publish:
        res["publish_skipped"] = ("publish not run: at national scale it writes one page per site (81 000 pages, "
                                  "14 min, 10 GB); full adoption has ≈4× the sites")
    res["initial"] = run_pipeline(run_inbox, lakehouse, env, logs, f"{scale}-initial", rows_before=0,
                                  publish=publish)
    res["baseline"] = run_baseline(lakehouse, logs, f"{scale}-baseline")
    res["baseline_raw"] = run_baseline_raw(run_inbox, lakehouse, logs, f"{scale}-baseline-raw")
    res["baseline_models"] = run_baseline_models(lakehouse, logs, f"{scale}-baseline-models")

    # 6. one more day
    link_into(incr, inbox, run_inbox)
    rows_before = rows_in_audit(lakehouse)
    res["daily"] = run_pipeline(run_inbox, lakehouse, env, logs, f"{scale}-daily", rows_before=rows_before,
                                publish=publish)
    res["daily_baseline"] = run_baseline(lakehouse, logs, f"{scale}-daily-baseline")
    if daily_models_baseline:
        res["daily_baseline_models"] = run_baseline_models(lakehouse, logs, f"{scale}-daily-baseline-models")
    if scale in spark_scales:
        res["spark"] = run_spark(run_inbox, lakehouse, env, logs, f"{scale}-spark")
    if scale in spark_cluster_scales:
        res["spark_cluster"] = run_spark_cluster(run_inbox, lakehouse, work / "spark_cluster", env, logs,
                                                 f"{scale}-spark-cluster")
    res["ratios"] = ratios(res)
    if scale == "national-full" and not keep:
        shutil.rmtree(inbox, ignore_errors=True)        # 20 GB: the linked fraction stays in inbox_run
    return res


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scales", default="small,national,national-full")
    ap.add_argument("--full-days", type=int, default=1, help="national-full: days of daily feeds in the pipeline run")
    ap.add_argument("--data", type=Path, default=REPO / "bench" / "data")
    ap.add_argument("--json", type=Path, default=REPO / "bench" / "results.json")
    ap.add_argument("--reuse", action="store_true", help="reuse an inbox simulated by an earlier run")
    ap.add_argument("--keep", action="store_true", help="keep national-full's whole simulated inbox (≈20 GB)")
    ap.add_argument("--full-registry", action=argparse.BooleanOptionalAction, default=True,
                    help="national-full: also ingest the initial registry delivery (3.3 M workers, ≈0.4 M "
                         "businesses, the sites); --no-full-registry leaves it out (≈3 min less)")
    ap.add_argument("--duckdb-memory", help="CCUS_DUCKDB_MEMORY_LIMIT for dbt (default: the platform's, 4GB)")
    ap.add_argument("--publish-scales", default="tiny,small,national",
                    help="scales whose runs include publish (national-full: not by default, see README)")
    ap.add_argument("--spark-scales", default="",
                    help="scales whose dbt project also runs on Spark (README, \"Scaling out\"); none by "
                         "default: Spark at small scale alone takes ≈11 min of the 45 (e.g. --spark-scales small)")
    ap.add_argument("--spark-cluster-scales", default="small",
                    help="scales whose dbt project also runs on a standalone Spark cluster started for it "
                         "(README, \"Scaling out\"); '' for none")
    ap.add_argument("--daily-models-baseline", action="store_true",
                    help="re-run the every-model baseline after the daily increment (≈4-8 min at national scale); "
                         "by default the daily ratio uses the initial run's, which covers every day but the last")
    ap.add_argument("--baselines-only", action="store_true",
                    help="re-measure only the baselines of an earlier run's lakehouse and merge them into --json")
    ap.add_argument("--history", default="", metavar="SCALE",
                    help="also measure how the daily increment grows with history at this scale (bench/history.py: "
                         "the same day's cost after 1 and after --history-months months, each part's ratio)")
    ap.add_argument("--history-months", type=int, default=3)
    ap.add_argument("--full-month", action="store_true",
                    help="national-full: simulate the whole month (≈5 min, 20 GB) instead of --full-days + 1 days")
    args = ap.parse_args(argv)
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")

    scales = [s.strip() for s in args.scales.split(",") if s.strip()]
    logs = args.data / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    if args.baselines_only:
        previous = json.loads(args.json.read_text())
        for res in previous["results"]:
            if res["scale"] in scales:
                work = args.data / res["scale"]
                res["baseline_raw"] = run_baseline_raw(work / "inbox_run", work / "lakehouse", logs,
                                                       f"{res['scale']}-baseline-raw")
                res["daily_baseline"] = run_baseline(work / "lakehouse", logs, f"{res['scale']}-daily-baseline")
                res["ratios"] = ratios(res)
        args.json.write_text(json.dumps(previous, indent=2, ensure_ascii=False))
        print("\n" + table(previous["results"]))
        return 0
    started = time.perf_counter()
    info = machine()
    results = []
    for scale in scales:
        t = time.perf_counter()
        res = bench_scale(scale, args.data, args.full_days, args.reuse, args.keep, logs, args.full_month,
                          args.full_registry, args.duckdb_memory, tuple(args.publish_scales.split(",")),
                          tuple(args.spark_scales.split(",")), args.daily_models_baseline,
                          tuple(args.spark_cluster_scales.split(",")))
        res["bench_seconds"] = round(time.perf_counter() - t, 1)
        results.append(res)
        previous = json.loads(args.json.read_text()) if args.json.exists() else {}
        merged = {r["scale"]: r for r in previous.get("results", [])}
        merged.update({r["scale"]: r for r in results})
        args.json.write_text(json.dumps({"machine": info, "finished_at": dt.datetime.now().isoformat(timespec="seconds"),
                                         "total_seconds": round(time.perf_counter() - started, 1),
                                         "results": list(merged.values())}, indent=2, ensure_ascii=False))
    if args.history:
        # its own process and JSON (bench/history.py), merged here: the history is one more scale's worth
        history_json = args.data / "history.json"
        subprocess.run([PY, str(REPO / "bench" / "history.py"), "--scale", args.history, "--months",
                        str(args.history_months), "--data", str(args.data), "--json", str(history_json)], cwd=REPO)
        if history_json.exists():
            saved = json.loads(args.json.read_text()) if args.json.exists() else {"machine": info, "results": []}
            saved["history"] = json.loads(history_json.read_text())
            args.json.write_text(json.dumps(saved, indent=2, ensure_ascii=False))
    info["loadavg_at_end"] = os.getloadavg()
    if results:
        print("\n" + table(results))
    print(f"\nload average at start {info.get('loadavg_at_start')}, at end {info['loadavg_at_end']} "
          f"({info['cpus']} CPUs); total {time.perf_counter() - started:,.0f} s; results in {args.json}")
    return 0 if all("error" not in r for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
