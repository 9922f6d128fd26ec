"""`ccus simulate` (and `python -m simulator`): argparse wiring. The `ccus` command calls
add_arguments and run; settings from the environment are read here, once."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

from simulator.params import SCALES
from simulator.simulate import simulate


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--scale", choices=list(SCALES), default="tiny",
                        help="population size: " + "; ".join(f"{s.name}: {s.about}" for s in SCALES.values()))
    parser.add_argument("--start", type=_date, default=None,
                        help="first simulated day, YYYY-MM-DD (default: the scale's)")
    parser.add_argument("--days", type=_positive, default=None, help="number of simulated days (default: the scale's)")
    parser.add_argument("--seed", type=int, default=42, help="random seed; the same arguments give identical files")
    parser.add_argument("--out", type=Path, required=True, help="inbox folder to write into")
    parser.add_argument("--json", action="store_true", help="print the whole summary as JSON")
    return parser


def run(args: argparse.Namespace) -> int:
    # CCUS_SIM_WRITERS=N renders files in N forked writer processes beside the generator (the
    # same bytes; it only pays on an otherwise idle machine)
    writers = int(os.environ.get("CCUS_SIM_WRITERS", "0") or 0)
    started = time.perf_counter()
    try:
        summary = simulate(args.scale, args.out, start=args.start, days=args.days, seed=args.seed, writers=writers)
    except ValueError as e:
        print(f"ccus simulate: error: {e}", file=sys.stderr)
        return 2
    elapsed = time.perf_counter() - started
    if getattr(args, "json", False):
        print(json.dumps({**summary, "seconds": round(elapsed, 2)}, ensure_ascii=False, indent=2))
        return 0
    print(f"simulated {summary['scale']} from {summary['start']} for {summary['days']} days "
          f"(seed {summary['seed']}) into {summary['out']} in {elapsed:.1f} s")
    for feed, rows in summary["rows"].items():
        print(f"  {feed:<15} {summary['files_per_feed'][feed]:>5} files {rows:>10} rows")
    bad = ", ".join(f"{k} {v}" for k, v in summary["bad_rows"].items())
    print(f"  deliberately bad rows: {bad}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ccus simulate", description="write a contract-conformant sample inbox")
    add_arguments(parser)
    return run(parser.parse_args(argv))
