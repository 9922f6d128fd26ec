"""The baselines measured beside the platform (bench/baseline.py, baseline_raw.py,
baseline_models.py: plain DuckDB over the same data) and the ratios of the platform's times to
theirs."""
from __future__ import annotations

from pathlib import Path

from measuring import PY, REPO, measure


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
