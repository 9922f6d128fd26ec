"""Print the national scale's calibration against the published figures (the numbers
tests/test_calibration.py checks), as Markdown tables:

    python bench/calibration.py [--scale national] [--activity]

--activity also counts one month of rosters and work-history records (≈10 s more).
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
REFERENCE = REPO / "reference"  # the published figures, copied into the repository with their sources

from simulator import SCALES  # noqa: E402  (after the path insert: runs from a checkout)
from simulator import reference as ref  # noqa: E402
from simulator.codes import SOLE  # noqa: E402
from simulator.dates import NA, date_of, day_of  # noqa: E402
from simulator.population import build_population, build_world  # noqa: E402
from simulator.simulate import activity_counts  # noqa: E402


def _csv(name: str) -> list[dict[str, str]]:
    with open(REFERENCE / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def main(argv=None) -> int:

    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", default="national")
    ap.add_argument("--activity", action="store_true")
    args = ap.parse_args(argv)
    P = build_population(args.scale, sites=True)
    B, W, S, cal = P.B, P.W, P.S, P.cal
    f = P.curves.factor
    print(f"## {args.scale}: {W.n:,} workers, {B.n:,} businesses ({int((B.kind == SOLE).sum()):,} sole "
          f"proprietors), {S.n:,} sites overlapping {cal.days} days from {date_of(cal.d0)}\n")
    print("| as of | published workers | simulated | error | published businesses | basis | simulated | error |")
    print("|---|---:|---:|---:|---:|---|---:|---:|")
    for r in _csv("ccus_registrations.csv"):
        d = day_of(dt.date.fromisoformat(r["as_of"]))
        if d > cal.end:
            continue
        w = int((W.reg <= d).sum())
        excl = r["businesses_basis"] == "excl_sole_proprietors"
        b = int(((B.reg <= d) & ((B.kind != SOLE) if excl else True)).sum())
        pw, pb = float(r["registered_workers"]) * f, float(r["registered_businesses"]) * f
        print(f"| {r['as_of']} | {pw:,.0f} | {w:,} | {w / pw - 1:+.2%} | {pb:,.0f} | "
              f"{'excl. sole' if excl else 'incl. sole'} | {b:,} | {b / pb - 1:+.2%} |")

    rows = _csv("ccus_prefecture_workers_2023_08.csv")
    as_of = dt.date.fromisoformat(rows[0]["as_of"])
    total = {r["as_of"]: float(r["registered_workers"]) for r in _csv("ccus_registrations.csv")}[as_of.isoformat()]
    reg = W.reg <= day_of(as_of)
    counts = np.bincount(P.worker_prefecture()[reg], minlength=47)
    names = ref.prefectures().names
    print(f"\n| prefecture ({as_of}) | published share | simulated share | error |")
    print("|---|---:|---:|---:|")
    for r in rows:
        ps = float(r["registered_workers"]) / total
        ss = counts[names.index(r["prefecture_name"])] / reg.sum()
        print(f"| {r['prefecture_name']} | {ps:.3%} | {ss:.3%} | {ss / ps - 1:+.2%} |")

    rows = _csv("level_judgements_2024_03.csv")
    d = day_of(dt.date.fromisoformat(rows[0]["as_of"]))
    judged = (W.judged_a != NA) & (W.judged_a <= d)
    print(f"\n| level ({rows[0]['as_of']}) | published judgements | simulated | error |")
    print("|---|---:|---:|---:|")
    for r in sorted(rows, key=lambda r: r["level"]):
        lv = int(r["level"])
        s = int((judged & (W.level_a == lv)).sum())
        p = float(r["cumulative_judgements"]) * f
        print(f"| {lv} | {p:,.0f} | {s:,} | {s / p - 1:+.2%} |")
    lv = np.bincount(W.level_a, minlength=5)[1:]
    print(f"\nlevels at the start of the period: " + ", ".join(f"L{i + 1} {c:,} ({c / W.n:.1%})" for i, c in enumerate(lv)))
    new = int(((S.start >= cal.d0) & (S.start <= cal.end)).sum())
    print(f"new sites: {new:,} in {cal.days} days = {new * 365 / cal.days:,.0f} a year")
    if args.activity:
        p = SCALES[args.scale]
        c = activity_counts(build_world(p, p.start, p.days, 42, popn=P))
        print(f"activity of the month: {c['attendance']:,} work-history records, {c['rosters']:,} roster rows, "
              f"{c['crew_members']:,} crew engagements ({c['registered_in_crews']:,} of registered workers)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
