"""The work history before the period (scales with `history`): what CCUS holds of the years
since its launch, delivered in the first attendance file as the platform's initial extract.

Every month from the launch to the day before the start runs the same crews and work days as
the period, on the sites of the past (sites.site_periods); only the work-history records are
kept: the rosters, payroll surveys and 建退共 reports of the past are not delivered. Each touch
probability is scaled by the published records per registered worker of its day
(reference.record_rate_factor: ≈ 1/3 in FY2019, ≈ 0.6 in autumn 2020, 1 from mid-2021). A
record received on or after the start waits for the file of its receipt day, as in the period.
"""
from __future__ import annotations

import numpy as np

from simulator import reference as ref
from simulator.crews import month_crews
from simulator.day import Pending, accumulators, work_day
from simulator.population import World


def touch_scale(day: int) -> float:
    days, factor = ref.record_rate_factor()
    return float(np.interp(day, days, factor))


def work_history(w: World, pending: Pending) -> dict:
    """The work-history records of every day before the period received before it (one dict of
    columns, in receipt order); those received later go to `pending`."""
    cal = w.cal
    parts = []
    for first, last in cal.months(cal.origin, cal.d0 - 1):
        K = month_crews(w, first, last)
        acc = accumulators(w, K)
        for d in range(first, last + 1):
            _, att = work_day(w, K, d, acc)
            now = att["recv_day"] < cal.d0
            pending.add(att, ~now)
            parts.append({k: v[now] for k, v in att.items()})
    if not parts:
        return {}
    out = {k: np.concatenate([part[k] for part in parts]) for k in parts[0]}
    o = np.argsort(out["recv"], kind="stable")
    return {k: v[o] for k, v in out.items()}
