"""Skill levels (能力評価) and qualifications.

Level judgements arrive at a constant rate from JUDGING_FROM so that each level's cumulative
count on 2024-03-31 is the published one (level_judgements_2024_03.csv: L4 53 096 > L2 22 885 ≈
L3 22 554), scaled to the sample. A worker judged at level L holds the qualifications the level
criteria of his occupation field ask for at L (the level_criteria seed), and has the years in
construction they ask for.
"""
from __future__ import annotations

import numpy as np

from simulator import reference as ref
from simulator.dates import LAUNCH, NA, day_of
from simulator.draw import choice_idx
from simulator.render import Lookup
from simulator.text import strings

JUDGING_FROM = LAUNCH + 180          # first level judgements (2019-09-28)


def judge_levels(lrng, n: int, reg: np.ndarray, detailed: np.ndarray, first_day: np.ndarray, until: int,
                 factor: float) -> tuple[np.ndarray, np.ndarray]:
    """Level and judgement day of each worker on day `until` (the period's start): judgements at a
    constant rate from JUDGING_FROM, the published cumulative count (× factor) on its date."""
    level = np.ones(n, dtype=np.int8)
    judged = np.full(n, NA, dtype=np.int64)
    as_of, judgements = ref.level_judgements()
    T = day_of(as_of)
    target = sum(judgements.values()) * factor
    if until <= JUDGING_FROM:
        return level, judged
    n_judged = int(round(target * (until - JUDGING_FROM) / (T - JUDGING_FROM)))
    lo = np.maximum(reg, JUDGING_FROM)
    cand = np.flatnonzero(detailed & (lo <= np.minimum(first_day, until)))
    cand = cand[np.argsort(lo[cand], kind="stable")]
    lo_sorted = lo[cand]
    jd = lrng.integers(JUDGING_FROM, until + 1, n_judged)
    hi = np.searchsorted(lo_sorted, jd, "right")
    jd, hi = jd[hi > 0], hi[hi > 0]
    taken = np.zeros(n, bool)
    picks, dates = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
    for _ in range(8):        # a worker is judged once: redraw the collisions
        if not len(jd):
            break
        pick = cand[np.floor(lrng.random(len(jd)) * hi).astype(np.int64)]
        uniq, first = np.unique(pick, return_index=True)
        fresh = np.zeros(len(pick), bool)
        fresh[first] = True
        fresh &= ~taken[pick]
        taken[pick[fresh]] = True
        picks.append(pick[fresh])
        dates.append(jd[fresh])
        jd, hi = jd[~fresh], hi[~fresh]
    pick, jd = np.concatenate(picks), np.concatenate(dates)
    lv = 2 + choice_idx(lrng, np.array([judgements[k] for k in (2, 3, 4)], float), len(pick))
    level[pick] = lv
    judged[pick] = np.minimum(jd, first_day[pick])
    return level, judged


def field_index(occ: np.ndarray) -> tuple[list[str], np.ndarray]:
    """The level-criteria fields and each worker's field index (-1: an occupation without one)."""
    O = ref.occupations()
    fields = sorted({f for f in O.fields if f})
    field_of = np.array([fields.index(O.fields[o]) if O.fields[o] else -1 for o in range(len(O.codes))])
    return fields, field_of[occ]


def qualifications(rng, fields: list[str], level: np.ndarray, detailed: np.ndarray, occ_field: np.ndarray) -> np.ndarray:
    """(n, qualifications) bool: generic ones, and what the criteria of each held level ask for."""
    qcodes = ref.qualification_codes()
    qi = {q: i for i, q in enumerate(qcodes)}
    n = len(level)
    Q = np.zeros((n, len(qcodes)), bool)
    for code, pr in (("TAMAKAKE", 0.35), ("SHOKUCHO_ANZEN", 0.25), ("KOSHO_SAGYOSHA", 0.1),
                     ("SHARYO_KENKI", 0.1), ("KOGATA_CRANE", 0.08)):
        if code in qi:
            Q[:, qi[code]] = rng.random(n) < pr * np.where(detailed, 1.0, 0.2)
    if "SHOKUCHO_ANZEN" in qi:
        Q[level >= 3, qi["SHOKUCHO_ANZEN"]] |= rng.random(int((level >= 3).sum())) < 0.7
    criteria = ref.level_criteria()
    for f_i, fname in enumerate(fields):
        in_field = occ_field == f_i
        for lv, c in sorted(criteria.get(fname, {}).items()):
            required, any_of = c.required, c.any_of
            held = in_field & (level >= lv)
            for q in required:
                if q in qi:
                    Q[held, qi[q]] = True
            opts = [qi[q] for q in any_of if q in qi]
            if opts and held.any():
                rows = np.flatnonzero(held)
                Q[rows, np.array(opts)[rng.integers(0, len(opts), len(rows))]] = True
            # some level-1 workers already hold what level lv asks: level-up candidates
            cand = in_field & (level == 1) & detailed & (rng.random(n) < 0.12 / lv)
            for q in required:
                if q in qi:
                    Q[cand, qi[q]] = True
    return Q


def qualification_lookups(Qa: np.ndarray, Qb: np.ndarray) -> tuple[Lookup, Lookup]:
    """The `;`-joined qualification lists of states a and b, as lookups into one table."""
    qcodes = ref.qualification_codes()
    weights = (1 << np.arange(Qa.shape[1], dtype=np.int64))
    ka, kb = Qa.astype(np.int64) @ weights, Qb.astype(np.int64) @ weights
    uniq, inv = np.unique(np.concatenate([ka, kb]), return_inverse=True)
    strs = [";".join(qcodes[j] for j in range(len(qcodes)) if (int(u) >> j) & 1) or None for u in uniq]
    table = strings(s or "" for s in strs)
    inv = np.where(np.array([s is None for s in strs])[inv], -1, inv)
    return Lookup(inv[:len(ka)], table), Lookup(inv[len(ka):], table)
