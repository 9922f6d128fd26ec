"""How a day's refresh grows with history (issue 17, goal 1): the same daily increment measured
after one month of history and after three, in one run, each part (ingest, dbt build, publish)
reported with its ratio.

    python bench/run.py --history national [--history-months 3]     # the documented command
    python bench/history.py --scale small --months 3                 # the same, alone

Simulates ≈`months` × 30 days from 2025-10-01 (one inbox, so the history is continuous), then:

1. the pipeline on days 1..29 (not measured as a day: the history's first month);
2. day 30 (a Thursday) added: ingest + dbt + publish measured — the daily cost after one month;
3. the days up to the measured day's eve added and run (the rest of the history, not measured);
4. the measured day added: the same weekday whole weeks after day 30, ≈`months` − 1 months
   later (months=3: 2025-12-25, before the year-end break) — the daily cost after the history.

`after N ÷ after 1` per part is the figure of the goal (≤ 1.2): the two days are ordinary working
days of the same weekday in the same simulated world, both with late records for the days before
them, so what differs is the history the pipeline has to look past (their rows are reported).
Both days are measured in the same run; the machine's load average is recorded beside each step
(other work on a shared machine slows a step down), and CPU seconds beside wall seconds.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from inboxes import file_day, link_into, rows_in_audit  # noqa: E402
from measuring import BIN, machine, measure  # noqa: E402
from pipeline import run_pipeline  # noqa: E402

START = dt.date(2025, 10, 1)
PARTS = ("ingest", "dbt", "publish")


def _files_through(inbox: Path, last: dt.date) -> list[Path]:
    """The inbox's files dated up to `last` (the month's files and simulation.json from the start)."""
    files = sorted(p for p in inbox.rglob("*") if p.is_file() and not p.name.startswith("."))
    return [p for p in files if (file_day(p) or START) <= last]


def bench_history(scale: str, data: Path, logs: Path, months: int = 3, reuse: bool = False,
                  publish: bool = True) -> dict:
    work = data / f"{scale}-history"
    inbox, run_inbox, lakehouse = work / "inbox", work / "inbox_run", work / "lakehouse"
    first_day = 30
    # the same weekday, whole weeks later: both measured days are ordinary working days
    days = first_day + 7 * ((30 * (months - 1)) // 7)
    res: dict = {"scale": scale, "months": months, "start": START.isoformat(), "days": days,
                 "measured_days": [(START + dt.timedelta(days=first_day - 1)).isoformat(),
                                   (START + dt.timedelta(days=days - 1)).isoformat()]}
    print(f"\n== history: {scale}, {months} months ==", flush=True)
    simulated = json.loads((work / "simulate.json").read_text()) if (work / "simulate.json").exists() else {}
    if not (reuse and simulated.get("days", 0) >= days):
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        m = measure([str(BIN / "ccus"), "simulate", "--scale", scale, "--start", START.isoformat(),
                     "--days", str(days), "--out", str(inbox), "--json"], log=logs / f"{scale}-history-simulate.log")
        if m["rc"] != 0 or not m["result"]:
            return {**res, "error": f"simulate failed (see {logs / f'{scale}-history-simulate.log'})"}
        summary = m.pop("result")
        (work / "simulate.json").write_text(json.dumps({**m, "rows": sum(summary["rows"].values()), "days": days},
                                                       indent=2))
    res["simulate"] = json.loads((work / "simulate.json").read_text())
    shutil.rmtree(run_inbox, ignore_errors=True)
    shutil.rmtree(lakehouse, ignore_errors=True)
    env = {"CCUS_WAREHOUSE_PATH": str(lakehouse / "warehouse.duckdb")}

    def step(last_day: int, label: str) -> dict:
        link_into(_files_through(inbox, START + dt.timedelta(days=last_day - 1)), inbox, run_inbox)
        return run_pipeline(run_inbox, lakehouse, env, logs, f"{scale}-history-{label}",
                            rows_before=rows_in_audit(lakehouse), publish=publish)

    res["first_month"] = step(first_day - 1, "month1")
    res["daily_after_1_month"] = step(first_day, "daily1")
    res["rest_of_history"] = step(days - 1, f"months2-{months}")
    res[f"daily_after_{months}_months"] = step(days, f"daily{months}")
    res["ratios"] = history_ratios(res, months)
    return res


def history_ratios(res: dict, months: int) -> dict:
    """after `months` months ÷ after one, per part and end to end (None where a part is missing)."""
    one, many = res.get("daily_after_1_month", {}), res.get(f"daily_after_{months}_months", {})
    out = {}
    for part in (*PARTS, "gold", "end_to_end"):
        if part in one and part in many and one[part].get("seconds"):
            out[f"{part}_after_{months}_vs_1_month"] = round(many[part]["seconds"] / one[part]["seconds"], 2)
        if part in one and part in many and one[part].get("cpu_seconds"):
            # CPU seconds: less sensitive than wall time to other work on a shared machine
            out[f"{part}_cpu_after_{months}_vs_1_month"] = round(many[part]["cpu_seconds"] / one[part]["cpu_seconds"], 2)
    return out


def history_table(res: dict) -> str:
    months = res["months"]
    one, many = res["daily_after_1_month"], res[f"daily_after_{months}_months"]
    lines = [f"daily increment of {res['scale']}: after 1 month | after {months} months | ratio | "
             "CPU after 1 | CPU after N | CPU ratio | load (1-min avg, before/after each)"]
    for part in (*PARTS, "gold", "end_to_end"):
        if part in one and part in many:
            ratio = res["ratios"].get(f"{part}_after_{months}_vs_1_month")
            cpu_ratio = res["ratios"].get(f"{part}_cpu_after_{months}_vs_1_month")
            loads = f"{one[part].get('load_avg', '')} / {many[part].get('load_avg', '')}"
            lines.append(f"  {part:<10} {one[part]['seconds']:>8.1f} s | {many[part]['seconds']:>8.1f} s | {ratio}× | "
                         f"{one[part]['cpu_seconds']:>7.1f} s | {many[part]['cpu_seconds']:>7.1f} s | {cpu_ratio}× | {loads}")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", default="national")
    ap.add_argument("--months", type=int, default=3)
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parent / "data")
    ap.add_argument("--json", type=Path, default=Path(__file__).resolve().parent / "history.json")
    ap.add_argument("--reuse", action="store_true", help="reuse the history inbox simulated by an earlier run")
    ap.add_argument("--no-publish", action="store_true", help="gold export only, no pages")
    ap.add_argument("--table", action="store_true", help="print the table of an earlier run's --json and stop")
    args = ap.parse_args(argv)
    if args.table:
        res = json.loads(args.json.read_text())["history"]
        res["ratios"] = history_ratios(res, res["months"])
        print(history_table(res))
        return 0
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    logs = args.data / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    info = machine()
    res = bench_history(args.scale, args.data, logs, args.months, args.reuse, not args.no_publish)
    info["loadavg_at_end"] = os.getloadavg()
    args.json.write_text(json.dumps({"machine": info, "history": res}, indent=2, ensure_ascii=False))
    if "error" in res:
        print(res["error"])
        return 1
    print("\n" + history_table(res))
    print(f"\nload average at start {info.get('loadavg_at_start')}, at end {info['loadavg_at_end']}; "
          f"results in {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
