"""The work history before the period (scales with `history`): what CCUS holds of the years
since its launch, delivered in the first attendance file as the platform's initial extract.

Every month from the launch to the day before the start runs the same crews and work days as
the period, on the sites of the past (sites.site_periods); only the work-history records are
kept: the rosters, payroll surveys and 建退共 reports of the past are not delivered. The volume
follows from the workers registered and the sites of each day (tests/test_calibration.py holds
it against the published monthly records). A record received on or after the start waits for
the file of its receipt day, as in the period.
"""
from __future__ import annotations

import numpy as np

from simulator.day import Pending, run_days
from simulator.population import World


def work_history(w: World, pending: Pending) -> dict:
    """The work-history records of every day before the period received before it (one dict of
    columns, in receipt order); those received later go to `pending`."""
    cal = w.cal
    parts = []
    for _, _, _, _, att, _ in run_days(w, cal.origin, cal.d0 - 1):
        now = att["recv_day"] < cal.d0
        pending.add(att, ~now)
        parts.append({k: v[now] for k, v in att.items()})
    if not parts:
        return {}
    out = {k: np.concatenate([part[k] for part in parts]) for k in parts[0]}
    o = np.argsort(out["recv"], kind="stable")
    return {k: v[o] for k, v in out.items()}
