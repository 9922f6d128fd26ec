"""Profile the ingestion (ccus/feeds) with cProfile, outside Dagster, on a sample of an inbox:

    python bench/profile_ingest.py --inbox bench/data/small/inbox [--feeds attendance,rosters] [--files 6]
                                   [--top 30] [--out bench/data/profile]

Ingests the first --files files of each feed into a scratch lakehouse and prints the functions
with the most own time, the time per phase (read, validate, bronze, write) and rows per second.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import shutil
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ccus.feeds.inbox import Inbox  # noqa: E402  (after the path above)
from ccus.feeds.ingest import ingest  # noqa: E402
from ccus.lakehouse import Lakehouse  # noqa: E402
from ccus.pseudonym import load_key  # noqa: E402
from ccus.settings import pseudonym_key  # noqa: E402

PHASES = {
    "read (decode + csv/json parse)": ("ccus/feeds/reader.py",),
    "validate (DuckDB typing and checks)": ("ccus/feeds/validate.py",),
    "bronze (pseudonymise, cast)": ("ccus/feeds/bronze.py", "ccus/pseudonym.py"),
    "write (parquet, raw copy, fsync)": ("ccus/lakehouse.py",),
}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--inbox", required=True)
    ap.add_argument("--feeds", default="attendance,rosters,workers")
    ap.add_argument("--files", type=int, default=6)
    ap.add_argument("--top", type=int, default=30)
    ap.add_argument("--out", default=str(REPO / "bench" / "data" / "profile"))
    args = ap.parse_args(argv)

    out = Path(args.out)
    shutil.rmtree(out, ignore_errors=True)
    lh = Lakehouse(out / "lakehouse")
    inbox = Inbox(args.inbox)
    feeds = args.feeds.split(",")
    chosen = []
    for feed in feeds:
        chosen += [f for f in inbox.files() if f.feed is not None and f.feed.name == feed][: args.files]
    key = load_key(lh, pseudonym_key(os.environ))
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    rows = ingest(lh, inbox, chosen, key)
    profiler.disable()
    seconds = time.perf_counter() - started
    n = sum(r["rows_read"] for r in rows)
    print(f"{len(chosen)} files, {n:,} rows in {seconds:.1f} s: {n / seconds:,.0f} rows/s, "
          f"{seconds / max(len(chosen), 1):.2f} s a file")
    stats = pstats.Stats(profiler)
    by_phase = {k: 0.0 for k in PHASES}
    for (file, _, _), (_, _, tottime, _, _) in stats.stats.items():
        for phase, files in PHASES.items():
            if any(file.endswith(f) for f in files):
                by_phase[phase] += tottime
    print("own time by module: " + "; ".join(f"{k} {v:.1f} s" for k, v in by_phase.items()))
    buf = io.StringIO()
    pstats.Stats(profiler, stream=buf).sort_stats("tottime").print_stats(args.top)
    print(buf.getvalue())
    buf = io.StringIO()
    pstats.Stats(profiler, stream=buf).sort_stats("cumulative").print_stats(args.top)
    print(buf.getvalue())
    profiler.dump_stats(str(out / "ingest.prof"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
