"""Measuring a step: a command run in a process tree of its own, its wall and CPU seconds and the
peak memory of the tree (polled from /proc), and the machine it ran on."""
from __future__ import annotations

import json
import os
import platform
import resource
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from ccus.processes import children_of

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PY = sys.executable


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
