"""Publish-only time of two (or more) code trees on the same gold, in one session: the pages of a
national lakehouse with main's dashboards/ and with this branch's, so a change to the publication
can be held to "within 1.5x of main".

    .venv/bin/python bench/publish_time.py --gold bench/data/national/lh/gold \\
        --code main=/tmp/ccus-main --code branch=. --out /tmp/publish-bench [--rounds 1]

``--again``: each tree then publishes a second time into the same folder from the same gold (a
day on which no figure changed) and reports that time and how many files it rewrote (modification
time changed); a tree that leaves unchanged files untouched rewrites none.

``--code NAME=DIR``: a checkout of the repository (e.g. ``git worktree add --detach /tmp/ccus-main
main``); each is imported first on the path of its own process (this virtual environment's
packages), so the same interpreter and libraries run every tree. Each round publishes every tree
once, in the order given, into a fresh folder under ``--out`` (all removed at the end), without PNG
copies and with the default two processes; the time is publish_site's own (imports excluded), with the user and system CPU of the
publishing process and its workers.
Every other round runs the trees in the reverse order, and each publication starts after a
``sync`` (the previous one's files written out): the tree that ran second used to inherit the
first one's writeback. Prints one JSON line per tree and round, then the ratio of each tree's
best time to the first's.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

# Run inside each tree: its publish_site, whichever signature it has (settings object, or the
# site folder and keyword options of the code before issue 14).
_SNIPPET = r"""
import inspect, json, sys, time
import dashboards
from dashboards.publish import publish_site
gold, site = sys.argv[1], sys.argv[2]
if "settings" in inspect.signature(publish_site).parameters:
    from dashboards.settings import local
    args = (gold, local(site, png=False, workers=2))
    kwargs = {}
else:
    args, kwargs = (gold, site), {"png": False}
import resource
started = time.monotonic()
written = publish_site(*args, **kwargs)
seconds = round(time.monotonic() - started, 2)
# CPU of this process and its workers (joined by now): less moved by the machine's other load than the wall time
own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": seconds, "files": len(written),
                  "pages": sum(p.endswith(".html") for p in written), "module": dashboards.__file__,
                  "user_cpu": round(own.ru_utime + workers.ru_utime, 1),
                  "system_cpu": round(own.ru_stime + workers.ru_stime, 1)}))
"""


def _publish(tree: Path, gold: Path, site: Path) -> dict:
    env = {"PYTHONPATH": str(tree), "CCUS_PUBLISH_WORKERS": "2", "CCUS_EXPORT_PNG": "0", "DO_NOT_TRACK": "1",
           "PATH": "/usr/bin:/bin", "HOME": str(Path.home())}
    started = time.monotonic()
    run = subprocess.run([sys.executable, "-c", _SNIPPET, str(gold), str(site)], cwd=tree, env=env,
                         capture_output=True, text=True)
    if run.returncode != 0:
        raise SystemExit(f"publish with {tree} failed:\n{run.stderr[-3000:]}")
    result = json.loads(run.stdout.strip().splitlines()[-1])
    if not result["module"].startswith(str(tree.resolve())):
        raise SystemExit(f"{tree}: imported {result['module']} instead of the tree's own dashboards/")
    result["process_seconds"] = round(time.monotonic() - started, 2)
    return result


def _stamps(site: Path) -> dict[str, int]:
    """{path: modification time (ns)} of every file under the site."""
    out = {}
    for folder, _, files in os.walk(site):
        for name in files:
            path = os.path.join(folder, name)
            out[path] = os.stat(path).st_mtime_ns
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", required=True, type=Path)
    ap.add_argument("--code", action="append", required=True, metavar="NAME=DIR")
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--again", action="store_true", help="publish a second time over the first")
    args = ap.parse_args(argv)
    trees = [(name, Path(folder).resolve()) for name, folder in (c.split("=", 1) for c in args.code)]
    best: dict[str, float] = {}
    cpu: dict[str, float] = {}
    done: list[Path] = []
    for round_ in range(args.rounds):
        # every other round in the reverse order: the tree that runs second inherits the disk's
        # writeback of the first one's files
        for name, tree in (trees if round_ % 2 == 0 else trees[::-1]):
            site = args.out / f"{name}-{round_}"
            shutil.rmtree(site, ignore_errors=True)
            os.sync()      # each publication starts with nothing of the previous one left to write
            result = _publish(tree, args.gold.resolve(), site)
            best[name] = min(best.get(name, float("inf")), result["seconds"])
            cpu[name] = min(cpu.get(name, float("inf")), round(result["user_cpu"] + result["system_cpu"], 1))
            print(json.dumps({"tree": name, "round": round_, **result}), flush=True)
            if args.again:
                stamps = _stamps(site)
                again = _publish(tree, args.gold.resolve(), site)
                after = _stamps(site)
                again["rewritten"] = sum(1 for p, t in after.items() if stamps.get(p) != t)
                print(json.dumps({"tree": name, "round": round_, "again": True, **again}), flush=True)
            done.append(site)
    # removed only now: deleting 370,000 files kept the disk busy into the next publication
    for site in done:
        shutil.rmtree(site, ignore_errors=True)
    first = trees[0][0]
    print(json.dumps({"best_seconds": best, "ratio_to_" + first: {n: round(s / best[first], 2) for n, s in best.items()},
                      "best_cpu_seconds": cpu,
                      "cpu_ratio_to_" + first: {n: round(c / cpu[first], 2) for n, c in cpu.items()}}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
