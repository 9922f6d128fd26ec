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
import platform
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from ccus.processes import children_of

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PY = sys.executable
DAILY_FEEDS = ("attendance", "rosters")
REGISTRY_FEEDS = ("businesses", "workers", "sites", "site_contracts")


# --------------------------------------------------------------------------------------------
# measuring a process tree
# --------------------------------------------------------------------------------------------
def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_mb(root: int) -> tuple[float, float]:
    """(sum over the process tree, largest single process) of the resident set, in MB."""
    tree = children_of()
    total, largest, stack = 0, 0, [root]
    while stack:
        pid = stack.pop()
        rss = _rss_kb(pid)
        total += rss
        largest = max(largest, rss)
        stack.extend(tree.get(pid, ()))
    return total / 1024, largest / 1024


MAX_RSS_MB = 16 * 1024      # a step whose process tree passes this is stopped (the machine has 24 GB)


def measure(cmd: list[str], env: dict | None = None, log: Path | None = None, also: tuple[int, ...] = ()) -> dict:
    """Run cmd; wall and CPU seconds, peak RSS of the process tree and of its largest single
    process (polled every 0.2 s), exit code, the last JSON line of its stdout. A tree
    that passes MAX_RSS_MB is killed (recorded as killed_for_memory) rather than let the machine
    run out of memory. `also`: roots of other process trees the step uses (a Spark cluster's
    JVMs), added to the memory figures (not to the CPU seconds: they are not our children)."""
    import resource
    import signal

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    out = open(log, "w") if log else subprocess.DEVNULL
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=out, env={**os.environ, **(env or {})}, cwd=REPO,
                            text=True, start_new_session=True)
    peak = [0.0, 0.0]
    killed = [False]
    done = threading.Event()

    def poll():
        while not done.is_set():
            trees = [tree_rss_mb(root) for root in (proc.pid, *also)]
            rss, largest = sum(t[0] for t in trees), max(t[1] for t in trees)
            peak[0] = max(peak[0], rss)
            peak[1] = max(peak[1], largest)
            if rss > MAX_RSS_MB and not killed[0]:
                killed[0] = True
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except OSError:
                    pass
            done.wait(0.2)

    t = threading.Thread(target=poll, daemon=True)
    t.start()
    stdout, _ = proc.communicate()
    done.set()
    t.join()
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if log:
        out.close()
    last = None
    for line in reversed(stdout.splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                last = json.loads(line)
                break
            except json.JSONDecodeError:
                continue
    if last is None and stdout.strip().startswith("{"):
        try:
            last = json.loads(stdout)
        except json.JSONDecodeError:
            pass
    return {
        "seconds": round(seconds, 2),
        "cpu_seconds": round((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), 2),
        "peak_rss_mb": round(peak[0], 1),
        "max_process_rss_mb": round(peak[1], 1),
        "rc": proc.returncode,
        # the machine's 1-minute load average before and after (other work slows a step down)
        "load_avg": [round(load_before, 1), round(os.getloadavg()[0], 1)],
        "result": last,
        **({"killed_for_memory": f"process tree passed {MAX_RSS_MB / 1024:.0f} GB"} if killed[0] else {}),
    }


# --------------------------------------------------------------------------------------------
# inbox subsets
# --------------------------------------------------------------------------------------------
def _file_day(path: Path) -> dt.date | None:
    stem = path.stem.split("_")
    digits = next((s for s in stem if s.isdigit() and len(s) == 8), None)
    return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8])) if digits else None


def split_inbox(inbox: Path, scale: str, full_days: int, with_registry: bool = False
                ) -> tuple[list[Path], list[Path], dt.date]:
    """(base files, the daily increment's files, the increment's day)."""
    files = sorted(p for p in inbox.rglob("*") if p.is_file() and not p.name.startswith("."))
    days = sorted({_file_day(p) for p in files if p.parent.name in DAILY_FEEDS} - {None})
    if scale == "national-full":
        base_days = set(days[:full_days])
        incr_day = days[full_days]
        base = [p for p in files if p.parent.name in DAILY_FEEDS and _file_day(p) in base_days]
        if with_registry:
            base += [p for p in files if p.parent.name in REGISTRY_FEEDS and _file_day(p) == days[0]]
        incr = [p for p in files if p.parent.name in DAILY_FEEDS and _file_day(p) == incr_day]
        return base, incr, incr_day
    incr_day = days[-1]
    incr = [p for p in files if _file_day(p) == incr_day]
    base = [p for p in files if p not in set(incr)]
    return base, incr, incr_day


def link_into(files: list[Path], src: Path, dst: Path) -> None:
    for p in files:
        target = dst / p.relative_to(src)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            try:
                os.link(p, target)
            except OSError:
                shutil.copy2(p, target)


def rows_in_audit(lakehouse: Path) -> int:
    import duckdb

    pattern = lakehouse / "bronze" / "ingest_audit" / "*" / "*.parquet"
    if not list((lakehouse / "bronze" / "ingest_audit").glob("*/*.parquet")):
        return 0
    con = duckdb.connect()
    try:
        return int(con.execute(f"SELECT coalesce(sum(rows_read), 0) FROM read_parquet('{pattern}', "
                               "union_by_name = true)").fetchone()[0])
    finally:
        con.close()


# --------------------------------------------------------------------------------------------
# one scale
# --------------------------------------------------------------------------------------------
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
    base, incr, incr_day = split_inbox(inbox, scale, full_days, full_registry)
    link_into(base, inbox, run_inbox)
    res["fraction"] = {"files": len(base), "increment_day": incr_day.isoformat(), "increment_files": len(incr)}
    if scale == "national-full":
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
    from engine_equality import compare_spark_marts

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
    from engine_equality import compare_cluster_marts

    from ccus import spark_cluster

    shutil.rmtree(spark_dir, ignore_errors=True)
    settings = spark_cluster.ClusterSettings(spark_dir=str(spark_dir), worker_memory_mb=1536)
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


def run_baseline(lakehouse: Path, logs: Path, label: str) -> dict:
    m = measure([PY, str(REPO / "bench" / "baseline.py"), "--lakehouse", str(lakehouse), "--compare"],
                log=logs / f"{label}.log")
    result = m.pop("result") or {}
    m.update({k: v for k, v in result.items() if k not in ("seconds", "ok")})
    m["sql_seconds"] = result.get("seconds")
    m["ok"] = m["rc"] == 0
    print(f"{label}: {m['seconds']} s (SQL {m.get('sql_seconds')} s), peak {m['peak_rss_mb']:.0f} MB, "
          f"equals gold adoption_national: {m.get('matches_gold_adoption_national')}, "
          f"equals dbt work-history days: {m.get('matches_dbt_work_history_days')}", flush=True)
    return m


def run_baseline_raw(run_inbox: Path, lakehouse: Path, logs: Path, label: str) -> dict:
    m = measure([PY, str(REPO / "bench" / "baseline_raw.py"), "--inbox", str(run_inbox), "--compare",
                 str(lakehouse / "gold" / "adoption_national.parquet")], log=logs / f"{label}.log")
    result = m.pop("result") or {}
    m.update({k: v for k, v in result.items() if k not in ("seconds", "ok")})
    m["ok"] = m["rc"] == 0
    print(f"{label}: {m['seconds']} s, peak {m['peak_rss_mb']:.0f} MB, "
          f"equals gold adoption_national: {m.get('matches_gold_adoption_national')}"
          + ("" if m["ok"] else f"  FAILED (see {logs / f'{label}.log'})"), flush=True)
    return m


def run_baseline_models(lakehouse: Path, logs: Path, label: str) -> dict:
    """Every dbt model's compiled SQL as plain DuckDB statements (bench/baseline_models.py): its
    `seconds` are the statements only; the process (dbt compile included) is `process_seconds`."""
    m = measure([PY, str(REPO / "bench" / "baseline_models.py"), "--lakehouse", str(lakehouse)],
                log=logs / f"{label}.log")
    result = m.pop("result") or {}
    m["process_seconds"] = m["seconds"]
    m.update(result)
    m["ok"] = m["rc"] == 0 and bool(result.get("ok"))
    print(f"{label}: {m.get('seconds')} s of SQL for {m.get('models')} models (compile {m.get('compile_seconds')} s, "
          f"process {m['process_seconds']} s), peak {m['peak_rss_mb']:.0f} MB, marts equal to gold: "
          f"{m.get('marts_equal_gold')}/{m.get('marts')} {m.get('marts_not_equal_gold') or ''}", flush=True)
    return m


def ratios(res: dict) -> dict:
    def r(a, b):
        return round(a / b, 1) if a and b else None

    def ok(step: dict) -> dict:      # a failed baseline is no baseline: its time divides nothing
        return step if step.get("ok") else {}

    out = {}
    b, db = ok(res.get("baseline", {})), ok(res.get("daily_baseline", {}))
    ini, day = res.get("initial", {}), res.get("daily", {})
    if "dbt" in ini:
        out["dbt_build_vs_baseline"] = r(ini["dbt"]["seconds"], b.get("seconds"))
    out["end_to_end_vs_baseline"] = r(ini.get("end_to_end", {}).get("seconds"), b.get("seconds"))
    raw = ok(res.get("baseline_raw", {}))
    out["end_to_end_vs_raw_baseline"] = r(ini.get("end_to_end", {}).get("seconds"), raw.get("seconds"))
    out["daily_vs_baseline"] = r(day.get("end_to_end", {}).get("seconds"), db.get("seconds"))
    if "dbt" in ini and res.get("spark", {}).get("ok"):
        out["spark_dbt_vs_duckdb_dbt"] = r(res["spark"]["seconds"], ini["dbt"]["seconds"])
    if "dbt" in ini and res.get("spark_cluster", {}).get("ok"):
        out["spark_cluster_dbt_vs_duckdb_dbt"] = r(res["spark_cluster"]["seconds"], ini["dbt"]["seconds"])
    if "dbt" in day:
        out["daily_dbt_vs_baseline"] = r(day["dbt"]["seconds"], db.get("seconds"))
    bm, dbm = ok(res.get("baseline_models", {})), ok(res.get("daily_baseline_models", {}))
    if "dbt" in ini:
        out["dbt_build_vs_models_baseline"] = r(ini["dbt"]["seconds"], bm.get("seconds"))
    raw_and_models = (raw.get("seconds") or 0) + (bm.get("seconds") or 0) if raw and bm else None
    out["end_to_end_vs_raw_and_models_baseline"] = r(ini.get("end_to_end", {}).get("seconds"), raw_and_models)
    # Without a re-run after the daily increment, the initial run's every-model baseline stands in:
    # it covers every day but the last, so the ratio errs on the high side by about a day's share.
    out["daily_vs_models_baseline"] = r(day.get("end_to_end", {}).get("seconds"), (dbm or bm).get("seconds"))
    return out


# --------------------------------------------------------------------------------------------
# report
# --------------------------------------------------------------------------------------------
def table(results: list[dict]) -> str:
    rows = []

    def add(label, key, fmt):
        cells = []
        for res in results:
            try:
                v = key(res)
            except (KeyError, TypeError, ZeroDivisionError):
                v = None
            cells.append("—" if v is None else fmt(v))
        rows.append((label, cells))

    s = lambda v: f"{v:,.1f} s"          # noqa: E731
    mb = lambda v: f"{v:,.0f} MB"        # noqa: E731
    n = lambda v: f"{v:,.0f}"            # noqa: E731
    x = lambda v: f"{v}×"                # noqa: E731
    add("simulated rows", lambda r: r["simulate"]["rows"], n)
    add("simulate time", lambda r: r["simulate"]["seconds"], s)
    add("simulator rows/s (all feeds)", lambda r: r["simulate"]["rows_per_s"], n)
    add("simulator attendance rows/s", lambda r: r["simulate"]["attendance_rows_per_s"], n)
    add("simulate peak RSS", lambda r: r["simulate"]["peak_rss_mb"], mb)
    add("pipeline rows (ingested)", lambda r: r["initial"]["ingest"]["rows"], n)
    add("ingest time", lambda r: r["initial"]["ingest"]["seconds"], s)
    add("ingest rows/s", lambda r: r["initial"]["ingest"]["rows_per_s"], n)
    add("ingest peak RSS", lambda r: r["initial"]["ingest"]["peak_rss_mb"], mb)
    add("dbt build time", lambda r: r["initial"]["dbt"]["seconds"], s)
    add("dbt build peak RSS", lambda r: r["initial"]["dbt"]["peak_rss_mb"], mb)
    add("publish time", lambda r: r["initial"]["publish"]["seconds"], s)
    add("publish peak RSS", lambda r: r["initial"]["publish"]["peak_rss_mb"], mb)
    add("dbt on Spark (models+seeds, JVM start)", lambda r: r["spark"]["seconds"], s)
    add("dbt on Spark peak RSS", lambda r: r["spark"]["peak_rss_mb"], mb)
    add("Spark marts = DuckDB gold", lambda r: r["spark"]["equal_to_duckdb_gold"], str)
    add("dbt on Spark ÷ dbt on DuckDB", lambda r: r["ratios"]["spark_dbt_vs_duckdb_dbt"], x)
    add("Spark cluster start (Master, 2 Workers, Thrift)", lambda r: r["spark_cluster"]["cluster_start_seconds"], s)
    add("dbt on the Spark cluster (models+seeds)", lambda r: r["spark_cluster"]["seconds"], s)
    add("  peak RSS (dbt + cluster JVMs)", lambda r: r["spark_cluster"]["peak_rss_mb"], mb)
    add("  cluster marts = DuckDB gold", lambda r: r["spark_cluster"]["equal_to_duckdb_gold"], str)
    add("dbt on the cluster ÷ dbt on DuckDB", lambda r: r["ratios"]["spark_cluster_dbt_vs_duckdb_dbt"], x)
    add("end-to-end (ingest+dbt+publish)", lambda r: r["initial"]["end_to_end"]["seconds"], s)
    add("baseline: DuckDB SQL on bronze", lambda r: r["baseline"]["seconds"], s)
    add("baseline peak RSS", lambda r: r["baseline"]["peak_rss_mb"], mb)
    add("baseline = pipeline (adoption_national)", lambda r: r["baseline"]["matches_gold_adoption_national"], str)
    add("baseline from the inbox (CSV → result)", lambda r: r["baseline_raw"]["seconds"], s)
    add("baseline from the inbox = pipeline", lambda r: r["baseline_raw"]["matches_gold_adoption_national"], str)
    add("baseline: every model's SQL, plain DuckDB", lambda r: r["baseline_models"]["seconds"], s)
    add("  marts equal to gold", lambda r: f'{r["baseline_models"]["marts_equal_gold"]}/{r["baseline_models"]["marts"]}', str)
    add("dbt build ÷ every-model baseline", lambda r: r["ratios"]["dbt_build_vs_models_baseline"], x)
    add("end-to-end ÷ (inbox + every-model baselines)",
        lambda r: r["ratios"]["end_to_end_vs_raw_and_models_baseline"], x)
    add("dbt build ÷ baseline", lambda r: r["ratios"]["dbt_build_vs_baseline"], x)
    add("end-to-end ÷ baseline", lambda r: r["ratios"]["end_to_end_vs_baseline"], x)
    add("end-to-end ÷ baseline from the inbox", lambda r: r["ratios"]["end_to_end_vs_raw_baseline"], x)
    add("daily: rows ingested", lambda r: r["daily"]["ingest"]["rows"], n)
    add("daily: ingest", lambda r: r["daily"]["ingest"]["seconds"], s)
    add("daily: dbt build", lambda r: r["daily"]["dbt"]["seconds"], s)
    add("daily: publish", lambda r: r["daily"]["publish"]["seconds"], s)
    add("daily: end-to-end", lambda r: r["daily"]["end_to_end"]["seconds"], s)
    add("daily: peak RSS", lambda r: r["daily"]["end_to_end"]["peak_rss_mb"], mb)
    add("daily: baseline", lambda r: r["daily_baseline"]["seconds"], s)
    add("daily ÷ baseline", lambda r: r["ratios"]["daily_vs_baseline"], x)
    add("daily: every-model baseline", lambda r: r["daily_baseline_models"]["seconds"], s)
    add("daily ÷ every-model baseline (the daily one, else the initial)",
        lambda r: r["ratios"]["daily_vs_models_baseline"], x)
    width = max(len(label) for label, _ in rows)
    cols = [max([len(res["scale"])] + [len(cells[k]) for _, cells in rows]) for k, res in enumerate(results)]
    lines = [" " * width + " | " + " | ".join(res["scale"].rjust(w) for res, w in zip(results, cols))]
    lines.append("-" * len(lines[0]))
    for label, cells in rows:
        lines.append(label.ljust(width) + " | " + " | ".join(c.rjust(w) for c, w in zip(cells, cols)))
    return "\n".join(lines)


def machine() -> dict:
    info = {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()}
    try:
        with open("/proc/meminfo") as f:
            info["mem_total_gb"] = round(int(f.readline().split()[1]) / 1024 / 1024, 1)
        info["loadavg_at_start"] = os.getloadavg()
    except OSError:
        pass
    try:
        info["git_commit"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                                            text=True).stdout.strip()
    except OSError:
        pass
    return info


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
