"""metrics.md §2 (level eligibility) computed on the simulator's own arrays, with the platform's
level_criteria seed: the calibration tests use it on the small sample, and a test checks that the
platform's level_eligibility mart finds the same on a simulated run."""
from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from simulator import reference as ref
from simulator.dates import NA

SEEDS = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds"


def _criteria() -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = {}
    with open(SEEDS / "wages" / "level_criteria.csv", encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            out.setdefault(r["field_ja"], []).append(r)
    return out


def eligible_levels(world, h) -> tuple[np.ndarray, np.ndarray]:
    """metrics.md §2 over the registry's latest rows and the work history, with the platform's
    level_criteria seed: (current level, eligible level) per worker."""
    W = world.W
    updated = W.upd_day != NA
    current = np.where(updated & (W.upd_kind == 0), W.level_b, W.level_a)
    q_idx = np.where(updated, W.quals_b.idx, W.quals_a.idx)
    table = W.quals_a.table.to_pylist()
    held = [set(table[i].split(";")) if i >= 0 and table[i] else set() for i in q_idx]
    pre_registration = np.where(W.exp_start < W.reg, np.floor(215 * (W.reg - W.exp_start) / 365), 0)
    work_days = h["days"] + pre_registration
    field_of = ref.occupations().fields
    criteria = _criteria()
    eligible = np.ones(W.n, np.int64)
    for i in range(W.n):
        for r in criteria.get(field_of[W.occ[i]], []):
            roles = "foreman_or_subforeman_days" if r["foreman_roles"] == "foreman|subforeman" else "foreman_days"
            required = [q for q in r["required_qualification_codes"].split(";") if q]
            any_of = [q for q in r["any_of_qualification_codes"].split(";") if q]
            if (work_days[i] >= int(r["min_work_days"]) and h[roles][i] >= int(r["min_foreman_days"])
                    and all(q in held[i] for q in required) and (not any_of or any(q in held[i] for q in any_of))):
                eligible[i] = max(eligible[i], int(r["level"]))
    return current, eligible
