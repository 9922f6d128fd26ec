"""The all-models baseline: every dbt model's SQL run as plain DuckDB statements over the same
bronze Parquet, in dependency order, one connection, no dbt and no Dagster at run time, no tests.

    python bench/baseline_models.py --lakehouse DIR [--work DIR] [--threads 2] [--memory 4GB]

bench/baseline.py writes two aggregations by hand (work-history days and adoption_national);
the pipeline's dbt build computes 65 models and 34 marts, so a ratio against those two measured
mostly how much more the pipeline computes. This baseline computes exactly what the dbt build
computes, so `dbt build ÷ baseline` measures what dbt, Dagster, the incremental machinery and the
674 data tests cost on top of the SQL itself.

How: `dbt compile` against an empty scratch warehouse (so every incremental model compiles to its
full-build SQL; the compile is timed apart and not counted: it is how the SQL gets written down),
the seed tables copied from the pipeline's warehouse (reference data, tiny), then one
`CREATE TABLE … AS <compiled SQL>` per model in the order of the manifest's dependencies, with the
pipeline's DuckDB settings (memory_limit, threads, temp_directory). Every mart is then compared
with the pipeline's gold/<mart>.parquet (same rows, any order).

Prints one JSON line: seconds (the statements only), compile_seconds, per-model seconds, and how
many marts equal the gold.
"""
from __future__ import annotations

import argparse
import graphlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[1]
PROJECT = REPO / "dbt_project"
DBT = Path(sys.executable).parent / "dbt"


def compile_project(lakehouse: Path, work: Path) -> dict:
    """dbt compile into work/ against an empty warehouse.duckdb there; returns the manifest."""
    env = {**os.environ, "DO_NOT_TRACK": "1", "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
           "CCUS_WAREHOUSE_PATH": str(work / "warehouse.duckdb"),
           "DBT_TARGET_PATH": str(work / "target"), "DBT_LOG_PATH": str(work / "logs")}
    result = subprocess.run(
        [str(DBT), "compile", "--quiet", "--project-dir", str(PROJECT), "--profiles-dir", str(PROJECT),
         "--vars", json.dumps({"lakehouse_root": str(lakehouse)}),
         "--select", "resource_type:model"],
        cwd=REPO, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"dbt compile failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return json.loads((work / "target" / "manifest.json").read_text())


def model_order(manifest: dict) -> list[dict]:
    models = {uid: n for uid, n in manifest["nodes"].items() if n["resource_type"] == "model"}
    graph = {uid: [d for d in n["depends_on"]["nodes"] if d in models] for uid, n in models.items()}
    return [models[uid] for uid in graphlib.TopologicalSorter(graph).static_order()]


def run(lakehouse: Path, work: Path, threads: int, memory: str) -> dict:
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    t = time.perf_counter()
    manifest = compile_project(lakehouse, work)
    compile_seconds = time.perf_counter() - t
    seeds = [n for n in manifest["nodes"].values() if n["resource_type"] == "seed"]
    models = model_order(manifest)

    # The same file name as the compile's warehouse: compiled SQL names its catalog by the stem.
    (work / "warehouse.duckdb").unlink(missing_ok=True)
    con = duckdb.connect(str(work / "warehouse.duckdb"), config={
        "memory_limit": memory, "threads": str(threads), "temp_directory": str(work / "tmp")})
    timings: dict[str, float] = {}
    started = time.perf_counter()
    try:
        con.execute(f"ATTACH '{lakehouse / 'warehouse.duckdb'}' AS pipeline (READ_ONLY)")
        for schema in sorted({n["schema"] for n in seeds + models}):
            con.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
        for seed in seeds:
            con.execute(f'CREATE TABLE "{seed["schema"]}"."{seed["alias"]}" AS '
                        f'SELECT * FROM pipeline."{seed["schema"]}"."{seed["alias"]}"')
        con.execute("DETACH pipeline")
        seeds_seconds = time.perf_counter() - started
        for node in models:
            t = time.perf_counter()
            con.execute(f'CREATE TABLE "{node["schema"]}"."{node["alias"]}" AS {node["compiled_code"]}')
            timings[node["name"]] = round(time.perf_counter() - t, 3)
        seconds = time.perf_counter() - started
        marts = [n for n in models if n["original_file_path"].startswith("models/marts/")]
        equal = [n["name"] for n in marts if _equals_gold(con, lakehouse, n)]
    finally:
        con.close()
    return {"ok": True, "seconds": round(seconds, 2), "seeds_seconds": round(seeds_seconds, 2),
            "compile_seconds": round(compile_seconds, 2), "models": len(models),
            "marts": len(marts), "marts_equal_gold": len(equal),
            "marts_not_equal_gold": sorted(n["name"] for n in marts if n["name"] not in equal),
            "slowest_models": dict(sorted(timings.items(), key=lambda kv: -kv[1])[:8])}


def _equals_gold(con, lakehouse: Path, node: dict) -> bool:
    gold = lakehouse / "gold" / f"{node['name']}.parquet"
    if not gold.exists():
        return False
    # DOUBLE sums depend on the order DuckDB's threads add them up (the last bits differ run to
    # run): compared to 9 decimals, as the engine-equality check does.
    types = con.execute(f'DESCRIBE "{node["schema"]}"."{node["alias"]}"').fetchall()
    columns = ", ".join(f'round("{name}", 9) AS "{name}"' if kind in ("DOUBLE", "FLOAT") else f'"{name}"'
                        for name, kind, *_ in types)
    mine = f'(SELECT {columns} FROM "{node["schema"]}"."{node["alias"]}")'
    theirs = f"(SELECT {columns} FROM read_parquet('{gold}'))"
    differ = con.execute(f"SELECT (SELECT count(*) FROM (SELECT * FROM {mine} EXCEPT ALL SELECT * FROM {theirs})) "
                         f"+ (SELECT count(*) FROM (SELECT * FROM {theirs} EXCEPT ALL SELECT * FROM {mine}))"
                         ).fetchone()[0]
    return differ == 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lakehouse", type=Path, required=True)
    ap.add_argument("--work", type=Path, help="scratch folder (default: <lakehouse>/../baseline_models)")
    ap.add_argument("--threads", type=int, default=int(os.environ.get("CCUS_DUCKDB_THREADS", "2")))
    ap.add_argument("--memory", default=os.environ.get("CCUS_DUCKDB_MEMORY_LIMIT", "4GB"))
    args = ap.parse_args(argv)
    lakehouse = args.lakehouse.resolve()
    work = (args.work or lakehouse.parent / "baseline_models").resolve()
    try:
        print(json.dumps(run(lakehouse, work, args.threads, args.memory)))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
