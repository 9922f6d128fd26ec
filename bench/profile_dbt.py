"""Where a dbt build's time goes, node by node, on a lakehouse a bench run left behind:

    python bench/profile_dbt.py --lakehouse bench/data/national/lakehouse [--threads 1] [--top 30]
                                [--out bench/data/profile-dbt]

Runs the build the dbt asset runs (`dbt build`, unit tests excluded) over the lakehouse as it is.
With no new delivery since its last build, the incremental models find no changed date and do
nothing, so what is left is the floor of every daily build: the models rebuilt whole and their
data tests (issue 17). On one thread (the default here) each node's time is its own, not a share
of a parallel build's. Prints the totals per kind (incremental models, whole models, data tests,
seeds) and the slowest nodes; dbt's run_results.json stays in --out.

Only on a bench lakehouse nothing else is writing to (it takes no lock).
"""
from __future__ import annotations

import argparse
import collections
import json
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DBT = Path(sys.executable).with_name("dbt")


def build(lakehouse: Path, threads: int, out: Path) -> float:
    """The asset's build over ``lakehouse``; its wall seconds."""
    warehouse = lakehouse / "warehouse.duckdb"
    variables = {"lakehouse_root": str(lakehouse), "warehouse_path": str(warehouse),
                 "spark_dir": str(lakehouse / "spark")}
    cmd = [str(DBT), "build", "--project-dir", str(REPO / "dbt_project"), "--profiles-dir",
           str(REPO / "dbt_project"), "--target-path", str(out), "--vars", json.dumps(variables),
           "--threads", str(threads), "--exclude", "resource_type:unit_test"]
    started = time.perf_counter()
    with open(out / "dbt-build.log", "w") as log:
        subprocess.run(cmd, cwd=REPO / "dbt_project", stdout=log, stderr=subprocess.STDOUT, check=True)
    return time.perf_counter() - started


def kind_of(node: dict) -> str:
    if node["resource_type"] == "model":
        return "incremental models" if node["config"].get("materialized") == "incremental" else "whole models"
    return {"test": "data tests", "seed": "seeds"}.get(node["resource_type"], node["resource_type"])


def report(out: Path, wall: float, top: int) -> None:
    manifest = json.loads((out / "manifest.json").read_text())
    nodes = manifest["nodes"]
    results = json.loads((out / "run_results.json").read_text())["results"]
    totals: dict[str, list[float]] = collections.defaultdict(list)
    for result in results:
        node = nodes.get(result["unique_id"])
        if node is not None:
            totals[kind_of(node)].append(result["execution_time"])
    print(f"dbt build: {wall:.1f} s wall, {len(results)} nodes")
    for kind, times in sorted(totals.items(), key=lambda item: -sum(item[1])):
        print(f"  {kind:20} {len(times):4} nodes  {sum(times):7.1f} s")
    print(f"slowest {top}:")
    for result in sorted(results, key=lambda r: -r["execution_time"])[:top]:
        node = nodes.get(result["unique_id"], {})
        name = result["unique_id"].split(".", 2)[-1]
        print(f"  {result['execution_time']:7.2f} s  {kind_of(node) if node else '?':20} {name[:80]}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lakehouse", type=Path, required=True)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--top", type=int, default=30)
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "data" / "profile-dbt")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    wall = build(args.lakehouse.resolve(), args.threads, args.out.resolve())
    report(args.out, wall, args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
