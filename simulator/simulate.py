"""simulate(): build the world of a scale, then write every feed file of its inbox and
`simulation.json` (feeds.md: scale, seed, start, days, the sample's fraction of the national
population)."""
from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

import numpy as np

from ccus.feeds.contract import FEEDS
from simulator.codes import ROLE
from simulator.dates import LAUNCH, date_of
from simulator.day import run_days
from simulator.params import SCALES, ScaleParams
from simulator.population import World, build_world
from simulator.writer import Writer

MARKER = "simulation.json"


def resolve(scale: str | ScaleParams, start: dt.date | None, days: int | None) -> tuple[ScaleParams, dt.date, int]:
    """The scale's parameters and the period, checked: a clear ValueError for what cannot run."""
    if isinstance(scale, ScaleParams):
        p = scale
    elif scale in SCALES:
        p = SCALES[scale]
    else:
        raise ValueError(f"unknown scale {scale!r}; choose one of {', '.join(SCALES)}")
    start = start or p.start
    days = int(days or p.days)
    if days < 1:
        raise ValueError("days must be at least 1")
    if start < date_of(LAUNCH):
        raise ValueError(f"CCUS started on {date_of(LAUNCH)}; start {start} is before it")
    return p, start, days


def simulate(scale: str | ScaleParams, out: Path, start: dt.date | None = None, days: int | None = None,
             seed: int = 42, writers: int = 0) -> dict:
    """Write a contract-conformant inbox for `scale` into `out` and return a summary.

    Deterministic: the same arguments give byte-identical files, whatever `writers` (files
    rendered by that many forked writer processes beside the generator). Files of the same
    names are overwritten; other files in `out` are left alone.
    """
    p, start, days = resolve(scale, start, days)
    out = Path(out)
    world = build_world(p, start, days, seed)
    writer = Writer(world, out, writers)
    writer.write_registry()
    counts = writer.write_activity()
    summary = {**summary_of(world, writer, out, start, days), "history_records": counts["history"]}
    write_marker(out, marker_of(world, start, days))
    return summary


def marker_of(world: World, start: dt.date, days: int) -> dict:
    """The content of simulation.json: exactly scale, seed, start, days, sample_fraction."""
    return {"scale": world.p.name, "seed": world.seed, "start": start.isoformat(), "days": days,
            "sample_fraction": world.curves.sample_fraction}


def write_marker(out: Path, marker: dict) -> None:
    out.mkdir(parents=True, exist_ok=True)
    tmp = out / f".{MARKER}.tmp"
    tmp.write_text(json.dumps(marker, indent=2) + "\n", encoding="utf-8")
    tmp.replace(out / MARKER)


def summary_of(world: World, writer: Writer, out: Path, start: dt.date, days: int) -> dict:
    """What a simulation wrote: files, rows and bad rows per feed, entities."""
    s = writer.summary
    return {
        "scale": world.p.name,
        "start": start.isoformat(),
        "days": days,
        "seed": world.seed,
        "out": str(out),
        "files": sorted(s.files),
        "files_per_feed": {f: sum(1 for x in s.files if x.startswith(f + "/")) for f in FEEDS},
        "rows": {f: int(s.rows.get(f, 0)) for f in FEEDS},
        "bad_rows": dict(sorted(s.bad.items())),
        "bad_rows_by_feed": {f: dict(sorted(c.items())) for f, c in sorted(s.bad_by_feed.items())},
        "encodings": dict(sorted(s.encodings.items())),
        "formats": dict(sorted(s.formats.items())),
        "entities": {"businesses": world.B.n, "workers": world.W.n, "sites": world.S.n,
                     "site_contracts": world.C.n, "persons_without_ccus_id": world.Pn.n - world.Pn.n_workers},
    }


def activity_counts(world: World, days: int | None = None) -> dict:
    """Rows the activity of the period would write (rosters, work-history records) without
    rendering a file; `days`: only the first days."""
    cal = world.cal
    counts = Counter()
    months = set()
    last_day = cal.end if days is None else min(cal.end, cal.d0 + days - 1)
    for K, _, _, roster, att, _ in run_days(world, cal.d0, last_day):
        if K.first not in months:
            months.add(K.first)
            counts["crew_members"] += len(K.person)
            counts["registered_in_crews"] += int(K.registered.sum())
        counts["rosters"] += len(roster)
        counts["attendance"] += len(att["site"])
        counts["days"] += 1
    return dict(counts)


def work_history_days(world: World) -> dict:
    """What the work history (the history before the period and the period's records) says per
    worker, as metrics.md §2 counts it: distinct work dates, and those whose highest role is
    foreman, or foreman or subforeman; and the records per work month. No files are written."""
    cal, n = world.cal, world.W.n
    days, foreman, lead = np.zeros(n, np.int64), np.zeros(n, np.int64), np.zeros(n, np.int64)
    per_month: Counter = Counter()
    for _, _, d, _, att, _ in run_days(world, cal.origin if world.p.history else cal.d0, cal.end):
        worker, role = att["worker"], att["role"]
        days[np.unique(worker)] += 1
        foreman[np.unique(worker[role == ROLE["foreman"]])] += 1
        lead[np.unique(worker[role != ROLE["general"]])] += 1
        per_month[f"{date_of(d):%Y-%m}"] += len(worker)
    return {"days": days, "foreman_days": foreman, "foreman_or_subforeman_days": lead, "records_per_month": per_month}
