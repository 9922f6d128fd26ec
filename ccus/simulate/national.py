"""The national engine: `national` (current adoption) and `national-full` (full adoption).

The same feeds, formats and deliberately bad rows as the tiny/small world (core.World), from a
population built without per-entity Python loops, and activity generated and written day by day
(a month's crews at a time), so memory stays flat whatever the number of days.

Calibration (tests/test_calibration.py checks it against the published reference files):

- Registrations follow the published national series (seed published_registrations): workers
  and businesses registered by the end of the period are the series at that day (linear
  between points, the last slope after the last point), and every registration date is drawn
  from the series, so the simulated cumulative curve passes through every published point.
  Companies and sole proprietors have curves of their own: companies are 78 % of businesses on
  2020-12-31 (the published point that excludes sole proprietors), sole proprietors a third by
  the end (≈100 000 of 304 314 on 2025-10-31). A sole proprietor registers with his business; a
  company's technicians register on or after their employer.
- Prefectures: workers are drawn by the prefecture shares of reference.prefectures() (the ten
  published on 2023-08-31, the other 37 by population) and employed by a company of their
  prefecture.
- Levels: judgements arrive at a constant rate from 2019-10 so that the cumulative count per
  level on 2024-03-31 is the published one (L4 53 096, L3 22 554, L2 22 885).
- Sites: ≈`sites_per_year` new sites a year; the sites overlapping the period are generated.
- Volume: a share of the registered technicians (`site_worker_share`) is on a registered site's
  roster in a month; per-site touch rates as in the small world. ≈5.5 M work-history records in
  a month at current adoption; at full adoption ≈60 M.

Entry points: `build_population(scale, start, days, seed)` (registry only, no activity, no
files: what the calibration test uses), `NationalWorld.activity_counts()` (the month's volume
without writing), `simulate(...)`.
"""
from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ccus.feeds.contract import ATTENDANCE, BUSINESSES, FEEDS, KENTAIKYO, ROSTERS, SITE_CONTRACTS, SITES, WAGES, WORKERS
from ccus.simulate import activity as act
from ccus.simulate import population as pop
from ccus.simulate import reference as ref
from ccus.simulate.params import SCALES, ScaleParams
from ccus.simulate.core import (
    ATTENDANCE_BAD, ROSTER_BAD, attendance_bad_row, registry_bad_rows, roster_bad_row, summary_of,
)
from ccus.simulate.render import NA, BadRow, Lookup, Stamps, Style
from ccus.simulate.stream import StreamWriter, _from_fixed, write_chunked

GENERAL, SPECIALTY, SOLE = pop.GENERAL, pop.SPECIALTY, pop.SOLE
LAUNCH = pop.LAUNCH
BUS_INS, PER_INS, REG_TYPE = pop.BUS_INS, pop.PER_INS, pop.REG_TYPE
ORDERER, MODEL, METHOD, TWO_DAYS = pop.ORDERER, pop.MODEL, pop.METHOD, pop.TWO_DAYS
ROLE, CHECK, INPUT, KMETHOD = act.ROLE, act.CHECK, act.INPUT, act.KMETHOD
JUDGING_FROM = LAUNCH + 180          # first level judgements (as in the small world)
CHUNK = 250_000                      # rows per rendered chunk

STREAMS = ("businesses", "workers", "levels", "sites", "contracts", "persons", "month", "day", "files",
           "wages", "kentaikyo", "names")


def _rng(seed: int, stream: str, *key: int) -> np.random.Generator:
    """One generator per component (and per month or day), all from the one seed; disjoint from
    the small world's streams."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(
        seed, spawn_key=(1000 + STREAMS.index(stream), *[int(k) for k in key]))))


def _s(values) -> pa.Array:
    return pa.array(list(values), pa.string())


def _take(table: pa.Array, idx: np.ndarray) -> pa.Array:
    return table.take(pa.array(np.asarray(idx, dtype=np.int64)))


def _digits(values: np.ndarray, width: int) -> pa.Array:
    return pc.utf8_lpad(pa.array(np.asarray(values, dtype=np.int64)).cast(pa.string()), width, "0")


def _join(*parts) -> pa.Array:
    return pc.binary_join_element_wise(*parts, "")


def _null_where(arr: pa.Array, mask: np.ndarray) -> pa.Array:
    if not mask.any():
        return arr
    return pc.if_else(pa.array(mask), pa.nulls(len(arr), pa.string()), arr)


def _pick_arr(post: np.ndarray, a: pa.Array, b: pa.Array) -> pa.Array:
    return pc.if_else(pa.array(post), b, a) if post.any() else a


def _interp_ext(x, xs, ys) -> np.ndarray:
    """Linear interpolation, the last segment's slope beyond the last point."""
    x = np.asarray(x, float)
    out = np.interp(x, xs, ys)
    slope = (ys[-1] - ys[-2]) / (xs[-1] - xs[-2])
    return np.where(x > xs[-1], ys[-1] + slope * (x - xs[-1]), out)


# --------------------------------------------------------------------------------------------
# the published series as curves
# --------------------------------------------------------------------------------------------
@dataclass
class Curves:
    knots: np.ndarray        # days, LAUNCH .. end
    workers: np.ndarray      # cumulative registered workers at each knot
    companies: np.ndarray    # businesses other than sole proprietors
    sole: np.ndarray         # sole proprietors (一人親方)
    factor: float            # scale applied to the published series (1.0 = current adoption)

    @property
    def businesses(self) -> np.ndarray:
        return self.companies + self.sole

    @property
    def company_workers(self) -> np.ndarray:
        return np.maximum.accumulate(np.maximum(self.workers - self.sole, 0.0))


def national_curves(end_day: int, sole_share: float, adoption_workers: int = 0) -> Curves:
    pts = ref.published_points()
    incl = [p for p in pts if p.basis == "incl_sole_proprietors"]
    excl = [p for p in pts if p.basis == "excl_sole_proprietors"]
    wd = np.array([LAUNCH] + [pop.day_of(p.as_of) for p in pts], float)
    wv = np.array([0.0] + [p.workers for p in pts])
    bd = np.array([LAUNCH] + [pop.day_of(p.as_of) for p in incl], float)
    bv = np.array([0.0] + [p.businesses for p in incl])
    knots = np.unique(np.r_[wd, bd, end_day])
    knots = knots[knots <= end_day]
    W = _interp_ext(knots, wd, wv)
    B = _interp_ext(knots, bd, bv)
    r_end = 1.0 - sole_share
    if excl:
        tx = pop.day_of(excl[0].as_of)
        r0 = min(0.98, excl[0].businesses / float(_interp_ext([tx], bd, bv)[0]))
        if end_day > tx:
            r = r0 + (r_end - r0) * np.clip((knots - tx) / (end_day - tx), 0.0, 1.0)
        else:
            r = np.full(len(knots), r0)
    else:
        r = np.full(len(knots), r_end)
    C = np.maximum.accumulate(r * B)
    S = np.maximum.accumulate(np.maximum(B - C, 0.0))
    factor = adoption_workers / W[-1] if adoption_workers else 1.0
    return Curves(knots, W * factor, C * factor, S * factor, factor)


def sample_curve(rng, n: int, knots: np.ndarray, cum: np.ndarray) -> np.ndarray:
    """n registration days distributed as the cumulative curve (inverse CDF, linear between knots)."""
    if n == 0:
        return np.zeros(0, np.int64)
    u = rng.random(n) * cum[-1]
    return np.floor(np.interp(u, cum, knots)).astype(np.int64).clip(LAUNCH, int(knots[-1]))


def _expected_over(dur_median: float = 300.0, sigma: float = 0.6, days: int = 31) -> float:
    """E[1 / (days + dur - 1)] for the site durations (to turn new sites a year into sites overlapping)."""
    from statistics import NormalDist
    z = np.array([NormalDist().inv_cdf((i + 0.5) / 400) for i in range(400)])
    dur = np.clip(np.exp(np.log(dur_median) + sigma * z), 45, 1100)
    return float(np.mean(1.0 / (days + dur - 1)))


# --------------------------------------------------------------------------------------------
# population
# --------------------------------------------------------------------------------------------
@dataclass
class NBusinesses:
    n: int
    num: np.ndarray              # 14-digit id as a number
    ids: pa.Array
    spare_ids: pa.Array
    kind: np.ndarray
    dormant: np.ndarray
    pref: np.ndarray
    trade: np.ndarray
    reg: np.ndarray
    capital: np.ndarray
    employees_a: np.ndarray
    employees_b: np.ndarray
    assoc_a: np.ndarray          # bit mask of ASSOCIATIONS
    assoc_b: np.ndarray
    ins_a: np.ndarray
    ins_b: np.ndarray
    withdrawn_b: np.ndarray
    kc: np.ndarray               # 建退共 contractor number (7 digits), NA = none
    owner: np.ndarray            # (n, 3) surname, given, female of the owner
    stem: np.ndarray
    form: np.ndarray
    surname_trade: np.ndarray
    survey: np.ndarray
    bonus: np.ndarray
    workers: np.ndarray
    created_at: np.ndarray
    upd_day: np.ndarray
    upd_at: np.ndarray


@dataclass
class NWorkers:
    n: int
    num: np.ndarray
    ids: pa.Array
    spare_ids: pa.Array
    employer: np.ndarray         # sorted
    occ: np.ndarray
    reg: np.ndarray
    detailed: np.ndarray
    level_a: np.ndarray
    level_b: np.ndarray
    judged_a: np.ndarray
    judged_b: np.ndarray
    quals_a: Lookup
    quals_b: Lookup
    exp_start: np.ndarray
    birth: np.ndarray
    ins_a: np.ndarray
    ins_b: np.ndarray
    verified_a: np.ndarray
    verified_b: np.ndarray
    kt_a: np.ndarray             # 10-digit member number, NA = none
    kt_b: np.ndarray
    name: np.ndarray             # (n, 3) surname, given, female
    home: np.ndarray             # prefecture of the address
    phone_a: np.ndarray          # (n, 3) prefix, 4 digits, 4 digits; prefix -1 = none
    phone_b: np.ndarray
    addr_a: np.ndarray           # (n, 4) town, x, y, z; town -1 = none
    addr_b: np.ndarray
    created_at: np.ndarray
    upd_day: np.ndarray
    upd_kind: np.ndarray
    upd_at: np.ndarray
    touch_factor: np.ndarray
    propensity: np.ndarray       # on a registered site's roster in a month when < site_worker_share

    def level_on(self, day, idx: np.ndarray) -> np.ndarray:
        up = (self.upd_kind[idx] == 0) & (self.upd_day[idx] != NA) & (day >= self.judged_b[idx])
        return np.where(up, self.level_b[idx], self.level_a[idx])


@dataclass
class Population:
    p: ScaleParams
    cal: pop.Calendar
    curves: Curves
    B: NBusinesses
    W: NWorkers
    S: "NSites | None" = None

    def worker_prefecture(self) -> np.ndarray:
        """Prefecture index (0..46) of each worker: the employer's."""
        return self.B.pref[self.W.employer]


_ASSOC: list = []


def _assoc_strings() -> pa.Array:
    """Every association list as text, by bit mask (one table, built once)."""
    if _ASSOC:
        return _ASSOC[0]
    codes = ref.ASSOCIATION_CODES
    _ASSOC.append(_s(";".join(codes[j] for j in range(len(codes)) if (m >> j) & 1) for m in range(1 << len(codes))))
    return _ASSOC[0]


def make_businesses(p: ScaleParams, cal: pop.Calendar, curves: Curves, seed: int) -> NBusinesses:
    rng = _rng(seed, "businesses")
    O, P = ref.occupations(), ref.prefectures()
    n_comp, n_sole = int(round(curves.companies[-1])), int(round(curves.sole[-1]))
    n = n_comp + n_sole
    kind = np.r_[np.full(n_comp, SPECIALTY, np.int8), np.full(n_sole, SOLE, np.int8)]
    reg = np.r_[sample_curve(rng, n_comp, curves.knots, curves.companies),
                sample_curve(rng, n_sole, curves.knots, curves.sole)]
    # general contractors (the possible primes): companies registered before the period
    early = np.flatnonzero((kind == SPECIALTY) & (reg <= cal.d0 - 30))
    n_gen = min(len(early), max(1, int(round(n_comp * p.general_contractor_share))))
    kind[rng.choice(early, n_gen, replace=False) if n_gen else []] = GENERAL
    pref = pop.choice_idx(rng, P.weights, n)
    gen_trades = np.array([O.codes.index(t) for t in ref.GENERAL_TRADES])
    trade = pop.choice_idx(rng, O.weights, n)
    g = kind == GENERAL
    trade[g] = gen_trades[pop.choice_idx(rng, np.array([0.4, 0.2, 0.3, 0.1]), int(g.sum()))]

    capital = np.full(n, NA, dtype=np.int64)
    exp = np.where(g, rng.uniform(7, 10.3, n), rng.uniform(6, 8.2, n))
    cap = (np.round(10 ** exp / 1e6) * 1e6).astype(np.int64)
    has_cap = (kind != SOLE) & (rng.random(n) > 0.08)
    capital[has_cap] = cap[has_cap]
    sole = kind == SOLE

    ins = np.zeros((n, 3), dtype=np.int8)
    u = rng.random((n, 3))
    comp = ~sole
    ins[comp & (u[:, 0] > 0.97)] = BUS_INS["not_enrolled"]
    small = comp & (rng.random(n) < 0.05)
    ins[small, 0] = BUS_INS["exempt"]
    ins[small, 1] = BUS_INS["exempt"]
    ins[comp & (u[:, 2] > 0.98), 2] = BUS_INS["not_enrolled"]
    ins[sole, 0] = np.where(u[sole, 0] < 0.85, BUS_INS["exempt"], BUS_INS["enrolled"])
    ins[sole, 1] = np.where(u[sole, 1] < 0.85, BUS_INS["exempt"], BUS_INS["enrolled"])
    ins[sole, 2] = np.where(u[sole, 2] < 0.95, BUS_INS["exempt"], BUS_INS["not_enrolled"])
    has_kc = rng.random(n) < np.where(sole, 0.35, 0.8)
    kc = np.where(has_kc, rng.integers(1_000_000, 9_999_999, n), NA)
    nums = pop.unique_ids(rng, n + 8)
    return dict(n=n, nums=nums, kind=kind, pref=pref, trade=trade, reg=reg, capital=capital, ins_a=ins, kc=kc,
                owner=_names(rng, n), stem=rng.integers(0, len(ref.COMPANY_STEMS), n), form=rng.random(n),
                surname_trade=rng.random(n) < 0.4, rng=rng)


def _finish_businesses(p: ScaleParams, cal: pop.Calendar, d: dict, workers: np.ndarray) -> NBusinesses:
    """The rest of the business registry, once the registered workers per business are known."""
    rng, n, kind, pref, trade, capital = d["rng"], d["n"], d["kind"], d["pref"], d["trade"], d["capital"]
    reg = d["reg"]
    O, P = ref.occupations(), ref.prefectures()
    sole = kind == SOLE
    dormant = (kind != SOLE) & (workers == 0)

    # associations as bit masks
    codes = ref.ASSOCIATION_CODES
    trade_assoc = np.full(len(O.codes), -1)
    for a_i, a in enumerate(ref.ASSOCIATIONS):
        for t in a.trades:
            if t in O.codes and trade_assoc[O.codes.index(t)] < 0:
                trade_assoc[O.codes.index(t)] = a_i
    i_zenken, i_nikkenren = codes.index("ZENKEN"), codes.index("NIKKENREN")
    u1, u2, u3 = rng.random(n), rng.random(n), rng.random(n)
    extra = rng.integers(2, len(codes), n)
    mask = np.zeros(n, np.int64)
    gen = (kind == GENERAL) & ~dormant
    mask |= np.where(gen & (u1 < 0.7), 1 << i_zenken, 0)
    mask |= np.where(gen & (capital != NA) & (capital >= 1_000_000_000) & (u2 < 0.8), 1 << i_nikkenren, 0)
    t = trade_assoc[trade]
    other = (kind != GENERAL) & ~dormant
    joins = other & (t >= 0) & (u1 < np.where(kind == SPECIALTY, 0.65, 0.2))
    mask |= np.where(joins, 1 << np.maximum(t, 0), 0)
    mask |= np.where(joins & (u2 < 0.06), 1 << extra, 0)
    mask |= np.where(other & ~joins & (kind == SPECIALTY) & (u3 < 0.12), 1 << i_zenken, 0)

    ins, kc, owner = d["ins_a"], d["kc"], d["owner"]
    stems, form, surname_trade = d["stem"], d["form"], d["surname_trade"]

    active = ~sole & ~dormant
    employees = np.where(sole, (rng.random(n) < 0.3).astype(np.int64),
                         np.floor(workers * rng.uniform(1.0, 1.6, n)).astype(np.int64) + rng.integers(0, 4, n))
    employees = np.where(active | sole, employees, rng.integers(0, 3, n))

    created = pop.created_stamp(rng, reg, cal)
    frac = cal.days / 365
    lo = np.maximum(reg, cal.d0) + 1
    upd = np.where((rng.random(n) < 0.12 * frac) | (dormant & (rng.random(n) < 0.3 * frac)),
                   pop.event_days(rng, lo, cal.end), NA)
    has_upd = upd != NA
    u = rng.random(n)
    new_assoc = rng.integers(0, len(codes), n)
    withdrawn_b = has_upd & dormant
    ins_fix = has_upd & ~dormant & (ins == BUS_INS["not_enrolled"]).any(axis=1)
    ins_b = ins.copy()
    ins_b[ins_fix] = np.where(ins[ins_fix] == BUS_INS["not_enrolled"], BUS_INS["enrolled"], ins[ins_fix])
    assoc_up = has_upd & ~dormant & ~ins_fix & (u < 0.3) & ~sole
    assoc_b = np.where(assoc_up, mask | (1 << new_assoc), mask)
    emp_up = has_upd & ~dormant & ~ins_fix & ~assoc_up
    employees_b = employees.copy()
    employees_b[emp_up & ~sole] = np.maximum(workers, employees + rng.integers(-1, 4, n))[emp_up & ~sole]
    employees_b[emp_up & sole] = 1 - employees[emp_up & sole]
    upd_at = np.where(has_upd, np.where(has_upd, upd, 0) * 86400 + rng.integers(9 * 3600, 18 * 3600, n), NA)
    nums = d["nums"]
    return NBusinesses(
        n=n, num=nums[:n], ids=pop.id_strings(nums[:n]), spare_ids=pop.id_strings(nums[n:]), kind=kind,
        dormant=dormant, pref=pref, trade=trade, reg=reg, capital=capital, employees_a=employees,
        employees_b=employees_b, assoc_a=mask, assoc_b=assoc_b, ins_a=ins, ins_b=ins_b, withdrawn_b=withdrawn_b,
        kc=kc, owner=owner, stem=stems, form=form, surname_trade=surname_trade,
        survey=rng.random(n) < p.wage_survey_share, bonus=rng.random(n) < 0.55, workers=workers,
        created_at=created, upd_day=upd, upd_at=upd_at)


def _names(rng, n: int) -> np.ndarray:
    out = np.empty((n, 3), np.int16)
    out[:, 0] = rng.integers(0, len(ref.SURNAMES), n)
    out[:, 1] = rng.integers(0, len(ref.GIVEN_MALE), n)
    female = rng.random(n) < 0.03
    out[:, 2] = female
    out[female, 1] = rng.integers(0, len(ref.GIVEN_FEMALE), int(female.sum()))
    return out


def _assign_employers(rng, curves: Curves, reg_b: np.ndarray, pref_b: np.ndarray, kind: np.ndarray,
                      n_workers: int) -> tuple[np.ndarray, np.ndarray]:
    """Employer (a company of the worker's prefecture registered on or before him) and
    registration day of each company technician."""
    P = ref.prefectures()
    comp = np.flatnonzero(kind != SOLE)
    w = rng.lognormal(0.0, 1.1, len(comp)) * np.where(kind[comp] == GENERAL, 0.6, 1.0)
    order = np.lexsort((reg_b[comp], pref_b[comp]))
    comp, w = comp[order], w[order]
    key = pref_b[comp].astype(np.int64) * 100_000 + reg_b[comp]
    cw = np.r_[0.0, np.cumsum(w)]
    pref_w = pop.choice_idx(rng, P.weights, n_workers)
    reg_w = sample_curve(rng, n_workers, curves.knots, curves.company_workers)
    o = np.lexsort((reg_w, pref_w))              # sorted queries: searchsorted runs through memory once
    pref_w, reg_w = pref_w[o], reg_w[o]
    lo = np.searchsorted(key, pref_w.astype(np.int64) * 100_000, "left")
    hi = np.searchsorted(key, pref_w.astype(np.int64) * 100_000 + reg_w, "right")
    end_pref = np.searchsorted(key, (pref_w.astype(np.int64) + 1) * 100_000, "left")
    hi = np.minimum(np.maximum(hi, lo + 1), np.maximum(end_pref, lo + 1))
    target = cw[lo] + rng.random(n_workers) * (cw[hi] - cw[lo])
    pos = np.clip(np.searchsorted(cw, target, "right") - 1, lo, hi - 1)
    pos = np.minimum(pos, len(comp) - 1)
    employer = comp[pos]
    reg_w = np.maximum(reg_w, reg_b[employer])
    return employer, reg_w


def make_workers(p: ScaleParams, cal: pop.Calendar, curves: Curves, bd: dict, seed: int) -> tuple[NWorkers, np.ndarray]:
    rng = _rng(seed, "workers")
    O, P = ref.occupations(), ref.prefectures()
    kind, reg_b, pref_b, trade_b = bd["kind"], bd["reg"], bd["pref"], bd["trade"]
    sole_b = np.flatnonzero(kind == SOLE)
    n_total = int(round(curves.workers[-1]))
    n_comp_workers = max(0, n_total - len(sole_b))
    emp_c, reg_c = _assign_employers(rng, curves, reg_b, pref_b, kind, n_comp_workers)
    employer = np.r_[emp_c, sole_b]
    reg = np.r_[reg_c, reg_b[sole_b]]
    order = np.lexsort((reg, employer))
    employer, reg = employer[order], reg[order]
    n = len(employer)
    workers_per_b = np.bincount(employer, minlength=len(kind))
    sole = kind[employer] == SOLE

    occ = np.where(rng.random(n) < 0.75, trade_b[employer], pop.choice_idx(rng, O.weights, n)).astype(np.int16)
    detailed = rng.random(n) < np.where(sole, 0.5, p.detailed_share)

    # registry delivery of each worker's first row
    k_new = pop.first_delivery(cal, reg)
    first_day = cal.deliveries[np.minimum(k_new, len(cal.deliveries) - 1)]

    # levels: judgements at a constant rate from JUDGING_FROM, the published count on 2024-03-31
    lrng = _rng(seed, "levels")
    level = np.ones(n, dtype=np.int8)
    judged = np.full(n, NA, dtype=np.int64)
    T = pop.day_of(ref.LEVEL_JUDGEMENTS_AS_OF)
    target = sum(ref.LEVEL_JUDGEMENTS.values()) * curves.factor
    until = cal.d0
    if until > JUDGING_FROM:
        n_judged = int(round(target * (until - JUDGING_FROM) / (T - JUDGING_FROM)))
        lo = np.maximum(reg, JUDGING_FROM)
        cand = np.flatnonzero(detailed & (lo <= np.minimum(first_day, until)))
        cand = cand[np.argsort(lo[cand], kind="stable")]
        lo_sorted = lo[cand]
        jd = lrng.integers(JUDGING_FROM, until + 1, n_judged)
        hi = np.searchsorted(lo_sorted, jd, "right")
        jd, hi = jd[hi > 0], hi[hi > 0]
        taken = np.zeros(n, bool)
        picks, dates = [], []
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
        lv = 2 + pop.choice_idx(lrng, np.array([ref.LEVEL_JUDGEMENTS[k] for k in (2, 3, 4)], float), len(pick))
        level[pick] = lv
        judged[pick] = np.minimum(jd, first_day[pick])

    age = np.clip(rng.normal(44, 12, n), 18, 72)
    age[sole] = np.clip(rng.normal(52, 10, int(sole.sum())), 25, 75)
    start_age = np.where(rng.random(n) < 0.85, rng.uniform(18, 26, n), rng.uniform(25, 40, n))
    exp_years = np.maximum(age - start_age, 0.3)
    need = ref.LEVEL_MIN_YEARS[level] + rng.uniform(0.2, 4, n) * (level > 1)
    exp_years = np.maximum(exp_years, need)
    age = np.maximum(age, start_age + exp_years)
    exp_start = reg - np.round(exp_years * 365.25).astype(np.int64)
    birth = reg - np.round(age * 365.25).astype(np.int64) - rng.integers(0, 365, n)

    fields = sorted({f for f in O.fields if f})
    field_of = np.array([fields.index(O.fields[o]) if O.fields[o] else -1 for o in range(len(O.codes))])
    occ_field = field_of[occ]
    Qa = pop._quals_matrix(rng, fields, level, detailed, occ_field)

    ins = np.zeros((n, 3), dtype=np.int8)
    u = rng.random(n)
    emp_ins = bd["ins_a"][employer]
    unknown = u < 0.03
    not_enr = (u >= 0.03) & (u < 0.05)
    ins[unknown] = PER_INS["unknown"]
    ins[not_enr, 1] = PER_INS["not_enrolled"]
    ins[not_enr, 2] = PER_INS["not_enrolled"]
    ins[(emp_ins == BUS_INS["not_enrolled"]) & ~unknown[:, None]] = PER_INS["not_enrolled"]
    ins[~sole & ~unknown & (rng.random(n) < 0.02), 2] = PER_INS["exempt"]
    ins[sole & ~unknown, 2] = PER_INS["exempt"]
    verified = np.where((ins != PER_INS["unknown"]).any(axis=1),
                        np.minimum(reg + rng.integers(0, 21, n), first_day), NA)

    has_kc = (bd["kc"] != NA)[employer]
    kt_on = rng.random(n) < np.where(has_kc, 0.88, 0.3)
    kt_num = rng.integers(1_000_000_000, 9_999_999_999, n)
    kt_a = np.where(kt_on, kt_num, NA)

    name = _names(rng, n)
    name[sole] = bd["owner"][employer[sole]]
    home = np.where(rng.random(n) < 0.85, pref_b[employer], pop.choice_idx(rng, P.weights, n)).astype(np.int8)
    phone = _phones(rng, n)
    phone[rng.random(n) < 0.05, 0] = -1
    addr = _addresses(rng, n)
    addr[rng.random(n) < 0.03, 0] = -1
    rng.random(n)  # the draw that once left 2 % of birth dates blank (now required), kept: later draws stay

    created = pop.created_stamp(rng, reg, cal)
    lo = np.maximum(reg, cal.d0) + 1
    upd = np.where(rng.random(n) < 0.15 * cal.days / 365, pop.event_days(rng, lo, cal.end), NA)
    upd_kind = np.full(n, -1, dtype=np.int8)
    level_b, judged_b, Qb = level.copy(), judged.copy(), Qa.copy()
    ins_b, verified_b, kt_b = ins.copy(), verified.copy(), kt_a.copy()
    years_at_upd = (np.where(upd == NA, 0, upd) - exp_start) / 365.25
    next_level = np.minimum(level + 1, 4)
    can_up = detailed & (level < 4) & (years_at_upd >= ref.LEVEL_MIN_YEARS[next_level]) & (upd != NA)
    ups = can_up & (rng.random(n) < 0.2)
    upd_kind[ups] = 0
    level_b[ups] = next_level[ups]
    judged_b[ups] = np.maximum(np.where(upd == NA, 0, upd) - rng.integers(0, 8, n), reg)[ups]
    Qb[ups] |= pop._quals_matrix(rng, fields, level_b, detailed, occ_field)[ups]
    rest = (upd != NA) & ~ups
    ins_fix = rest & (ins == PER_INS["unknown"]).any(axis=1)
    upd_kind[ins_fix] = 1
    ins_b[ins_fix] = np.where(ins[ins_fix] == PER_INS["unknown"], PER_INS["enrolled"], ins[ins_fix])
    verified_b[ins_fix] = upd[ins_fix]
    rest &= ~ins_fix
    kt_new = rest & ~kt_on
    upd_kind[kt_new] = 2
    kt_b[kt_new] = kt_num[kt_new]
    contact = rest & ~kt_new
    upd_kind[contact] = 3
    phone_b, addr_b = phone.copy(), addr.copy()
    phone_b[contact] = _phones(rng, n)[contact]
    addr_b[contact] = _addresses(rng, n)[contact]
    upd_at = np.where(upd != NA, np.where(upd == NA, 0, upd) * 86400 + rng.integers(9 * 3600, 18 * 3600, n), NA)
    quals_a, quals_b = pop._quals_lookup(Qa, Qb)
    del Qa, Qb

    nums = pop.unique_ids(rng, n + 8)
    W = NWorkers(
        n=n, num=nums[:n], ids=pop.id_strings(nums[:n]), spare_ids=pop.id_strings(nums[n:]), employer=employer,
        occ=occ, reg=reg, detailed=detailed, level_a=level, level_b=level_b, judged_a=judged, judged_b=judged_b,
        quals_a=quals_a, quals_b=quals_b, exp_start=exp_start, birth=birth, ins_a=ins, ins_b=ins_b,
        verified_a=verified, verified_b=verified_b, kt_a=kt_a, kt_b=kt_b, name=name, home=home,
        phone_a=phone, phone_b=phone_b, addr_a=addr, addr_b=addr_b, created_at=created, upd_day=upd,
        upd_kind=upd_kind, upd_at=upd_at, touch_factor=np.where(rng.random(n) < 0.1, 0.3, 1.0).astype(np.float32),
        propensity=rng.random(n).astype(np.float32))
    return W, workers_per_b


def _phones(rng, n: int) -> np.ndarray:
    out = np.empty((n, 3), np.int16)
    out[:, 0] = rng.integers(0, 3, n)
    out[:, 1] = rng.integers(0, 10000, n)
    out[:, 2] = rng.integers(0, 10000, n)
    return out


def _addresses(rng, n: int) -> np.ndarray:
    out = np.empty((n, 4), np.int16)
    out[:, 0] = rng.integers(0, len(ref.TOWNS), n)
    out[:, 1] = rng.integers(1, 6, n)
    out[:, 2] = rng.integers(1, 30, n)
    out[:, 3] = rng.integers(1, 20, n)
    return out


def build_population(scale: "str | ScaleParams", start: dt.date | None = None, days: int | None = None,
                     seed: int = 42, sites: bool = False) -> Population:
    """Businesses and workers of a national scale (and the sites when asked), without activity
    or files: what the calibration test reads."""
    p = SCALES[scale] if isinstance(scale, str) else scale
    if p.engine != "national":
        raise ValueError(f"{scale} is not a national scale")
    start = start or p.start
    days = int(days or p.days)
    cal = pop.make_calendar(start, days)
    curves = national_curves(cal.end, p.sole_proprietor_share, p.adoption_workers)
    bd = make_businesses(p, cal, curves, seed)
    W, per_b = make_workers(p, cal, curves, bd, seed)
    B = _finish_businesses(p, cal, bd, per_b)
    popn = Population(p, cal, curves, B, W)
    if sites:
        popn.S = make_sites(p, cal, B, seed)
    return popn


# --------------------------------------------------------------------------------------------
# sites and site contracts
# --------------------------------------------------------------------------------------------
@dataclass
class NSites:
    n: int
    num: np.ndarray
    ids: pa.Array
    spare_ids: pa.Array
    pref: np.ndarray
    orderer: np.ndarray
    public: np.ndarray
    model: np.ndarray
    amount: np.ndarray
    start: np.ndarray
    end: np.ndarray
    end_a: np.ndarray
    prime: np.ndarray
    method: np.ndarray
    reader_a: np.ndarray
    reader_b: np.ndarray
    reader_from: np.ndarray
    two_days: np.ndarray
    reg: np.ndarray
    created_at: np.ndarray
    upd_day: np.ndarray
    upd_at: np.ndarray
    name_parts: np.ndarray       # (n, 3) template, town, number
    touch: np.ndarray
    entry_mean: np.ndarray
    exit_mean: np.ndarray
    exit_cap: np.ndarray
    sat_open: np.ndarray
    sun_open: np.ndarray
    hol_open: np.ndarray
    strict: np.ndarray
    check_probs: np.ndarray
    unreg_business: np.ndarray


def _weighted_in_groups(rng, pool: np.ndarray, weights: np.ndarray, groups: np.ndarray, want_group: np.ndarray,
                        same_factor: float) -> np.ndarray:
    """Draw one pool member per request, ∝ weight, `same_factor` times likelier in the request's group."""
    n_req = len(want_group)
    if len(pool) == 0:
        return np.full(n_req, -1, np.int64)
    order = np.lexsort((pool, groups))
    pool, weights, groups = pool[order], weights[order], groups[order]
    cw = np.r_[0.0, np.cumsum(weights)]
    G = int(max(groups.max(), want_group.max())) + 1 if n_req else int(groups.max()) + 1
    lo_g = np.searchsorted(groups, np.arange(G), "left")
    hi_g = np.searchsorted(groups, np.arange(G), "right")
    wg = cw[hi_g] - cw[lo_g]
    total = cw[-1]
    q = np.where(wg > 0, same_factor * wg / (same_factor * wg + (total - wg)), 0.0)
    same = rng.random(n_req) < q[want_group]
    lo = np.where(same, lo_g[want_group], 0)
    hi = np.where(same, hi_g[want_group], len(pool))
    target = cw[lo] + rng.random(n_req) * (cw[hi] - cw[lo])
    pos = np.clip(np.searchsorted(cw, target, "right") - 1, lo, np.maximum(hi - 1, lo))
    return pool[np.minimum(pos, len(pool) - 1)]


SITE_TEMPLATES = {   # orderer -> four name templates: {city} {tw} {x} {pref}
    "mlit": ("国道{x}号{tw}地区道路改良工事", "{city}{tw}川河川改修工事", "{tw}橋橋梁補修工事", "{city}国道{x}号{tw}トンネル工事"),
    "national_other": ("{city}合同庁舎改修工事", "{tw}宿舎新築工事", "{city}{tw}施設整備工事", "{tw}地区港湾整備工事"),
    "prefecture": ("県道{city}{tw}線道路改良工事", "{pref}立{tw}高等学校改築工事", "{tw}川砂防工事", "{tw}地区急傾斜地崩壊対策工事"),
    "municipality": ("{city}立{tw}小学校改築工事", "{city}{tw}地区下水道管渠工事", "市道{tw}{x}号線舗装工事", "{city}{tw}公民館新築工事"),
    "public_corp": ("{tw}団地建替工事", "{city}{tw}高速道路橋梁工事", "{tw}浄水場更新工事", "{tw}駅改良工事"),
    "private": ("（仮称）{tw}{x}丁目マンション新築工事", "（仮称）{city}{tw}ビル新築工事", "{tw}物流センター新築工事", "{tw}工場増築工事"),
}


def site_names(S: NSites, idx: np.ndarray) -> pa.Array:
    """Site names of rows idx, vectorised: one join per template."""
    import re
    P = ref.prefectures()
    inv = {v: k for k, v in ORDERER.items()}
    city_tbl = _s(c.removesuffix("市").removesuffix("区") for c in P.capitals)
    pref_tbl = _s(P.names)
    town_tbl = _s(ref.TOWNS)
    orderer, kind = S.orderer[idx], S.name_parts[idx, 0]
    town, num, pref = S.name_parts[idx, 1], S.name_parts[idx, 2], S.pref[idx]
    tkey = orderer.astype(np.int64) * 4 + kind
    rows_list, names_list = [], []
    for key in np.unique(tkey).tolist():
        rows = np.flatnonzero(tkey == key)
        template = SITE_TEMPLATES[inv[key // 4]][key % 4]
        parts = []
        for piece in re.split(r"(\{\w+\})", template):
            if piece == "{city}":
                parts.append(_take(city_tbl, pref[rows]))
            elif piece == "{pref}":
                parts.append(_take(pref_tbl, pref[rows]))
            elif piece == "{tw}":
                parts.append(_take(town_tbl, town[rows]))
            elif piece == "{x}":
                parts.append(pa.array(num[rows].astype(np.int64)).cast(pa.string()))
            elif piece:
                parts.append(piece)
        rows_list.append(rows)
        names_list.append(_join(*parts))
    if not rows_list:
        return pa.array([], pa.string())
    order = np.concatenate(rows_list)
    inv_order = np.empty(len(order), np.int64)
    inv_order[order] = np.arange(len(order))
    return pa.concat_arrays(names_list).take(pa.array(inv_order))


def n_sites_for(p: ScaleParams, days: int) -> int:
    return int(round(p.sites_per_year / 365 / _expected_over(days=days)))


def make_sites(p: ScaleParams, cal: pop.Calendar, B: NBusinesses, seed: int) -> NSites:
    rng = _rng(seed, "sites")
    P = ref.prefectures()
    n = n_sites_for(p, cal.days)
    nums = pop.unique_ids(rng, n + 8)
    pref = pop.choice_idx(rng, P.weights, n)
    public = rng.random(n) < p.public_works_share
    pub_orderers = np.array([ORDERER[o] for o in ("mlit", "national_other", "prefecture", "municipality", "public_corp")])
    orderer = np.where(public, pub_orderers[pop.choice_idx(rng, np.array([0.15, 0.05, 0.3, 0.4, 0.1]), n)],
                       ORDERER["private"])
    mlit = orderer == ORDERER["mlit"]
    mp = np.where(mlit[:, None], [[0.25, 0.45, 0.30]], [[0.63, 0.12, 0.25]])
    model = np.where(public, pop.row_choice(rng, mp), MODEL["none"])
    is_model = model != MODEL["none"]
    amount = np.exp(rng.normal(np.log(np.where(public, 2e8, 5e8)), 1.2)).clip(5e6, 3e10)
    amount = (np.round(amount / 1000) * 1000).astype(np.int64)
    dur = np.clip(np.exp(rng.normal(np.log(300), 0.6, n)), 45, 1100).astype(np.int64)
    # starts spread evenly over every day that lets a site overlap the period
    start = cal.d0 - dur + 1 + np.floor(rng.random(n) * (cal.days + dur - 1)).astype(np.int64)
    later = rng.random(n) < (0.03 if cal.days > 60 else 0.0)
    start[later] = cal.end + rng.integers(1, 60, int(later.sum()))
    end = start + dur - 1
    reg = np.minimum(np.maximum(start - rng.integers(0, 46, n), LAUNCH), cal.end)

    gens = np.flatnonzero((B.kind == GENERAL) & ~B.dormant)
    gw = (B.workers[gens] + 1.0) ** 0.7
    prime = _weighted_in_groups(rng, gens, gw, B.pref[gens], pref, 6.0)

    mprob = np.where(public[:, None], [[0.45, 0.45, 0.10]], [[0.15, 0.45, 0.40]])
    mprob = mprob + is_model[:, None] * np.array([[0.25, -0.15, -0.08]])
    method = pop.row_choice(rng, np.clip(mprob, 0.01, None))
    reader = rng.random(n) < np.where(is_model, 0.85, np.where(public, 0.5, 0.4))
    tprob = np.where(public[:, None], [[0.35, 0.45, 0.20]], [[0.8, 0.1, 0.1]])
    two_days = pop.row_choice(rng, tprob)

    end_a = end.copy()
    upd = np.full(n, NA, dtype=np.int64)
    first_k = pop.first_delivery(cal, reg)
    first_day = cal.deliveries[np.minimum(first_k, len(cal.deliveries) - 1)]
    ext = (rng.random(n) < 0.15) & (end > cal.d0 + 45) & (end < cal.end + 120)
    end_a[ext] = end[ext] - rng.integers(20, 90, int(ext.sum()))
    ev = end_a - rng.integers(7, 40, n)
    ok = ext & (ev > np.maximum(first_day, cal.d0)) & (ev <= cal.end) & (end_a > start)
    end_a[ext & ~ok] = end[ext & ~ok]
    upd[ok] = ev[ok]
    reader_from = np.where(reader, -pop.NEVER, pop.NEVER).astype(np.int64)
    inst = (~reader) & (~ok) & (rng.random(n) < 0.12)
    inst_day = pop.event_days(rng, np.maximum(np.maximum(start, first_day), cal.d0) + 1, cal.end)
    inst &= (inst_day != NA) & (inst_day <= end)
    upd[inst] = inst_day[inst]
    reader_from[inst] = inst_day[inst]
    reader_b = reader | inst
    upd_at = np.where(upd != NA, np.where(upd == NA, 0, upd) * 86400 + rng.integers(9 * 3600, 18 * 3600, n), NA)

    touch = np.where(model == MODEL["mandatory"], 0.30 + 0.65 * rng.beta(4, 2, n),
                     np.where(model == MODEL["recommended"], 0.20 + 0.72 * rng.beta(3, 2.5, n),
                              0.12 + 0.80 * rng.beta(1.6, 2.4, n)))
    touch = np.clip(touch + 0.08 * reader, 0.05, 0.98)
    if p.touch_floor:
        touch = np.maximum(touch, p.touch_floor + (0.99 - p.touch_floor) * rng.random(n))
    profile = pop.choice_idx(rng, np.array([0.8, 0.15, 0.05]), n)
    exit_mean = np.array([17 * 3600 + 40 * 60, 19 * 3600, 20 * 3600 + 50 * 60])[profile] + rng.normal(0, 900, n)
    exit_cap = np.where(profile == 2, 22 * 3600, 20 * 3600 + 30 * 60)
    entry_mean = 7 * 3600 + 55 * 60 + rng.normal(0, 480, n)
    sat = np.array([0.75, 0.1, 0.25])[two_days] * np.where(profile == 2, 1.3, 1.0)
    sun = np.where(profile == 2, 0.3, np.where(two_days == TWO_DAYS["none"], 0.05, 0.02))
    hol = np.where(public, 0.15, 0.5)
    strict = rng.random(n) < np.where(is_model, 0.85, np.where(public, 0.6, 0.4))
    check = np.where(is_model[:, None] | reader[:, None], [[0.85, 0.12, 0.03]], [[0.5, 0.42, 0.08]])
    unreg = np.where(model == MODEL["mandatory"], 0.02, np.where(model == MODEL["recommended"], 0.05,
                     np.where(public, 0.10, 0.16))) * rng.uniform(0.3, 1.8, n)
    if p.touch_floor:            # full adoption: (almost) every business on CCUS
        unreg = unreg * 0.1
    name_parts = np.stack([rng.integers(0, 4, n), rng.integers(0, len(ref.TOWNS), n), rng.integers(1, 60, n)], axis=1)
    return NSites(
        n=n, num=nums[:n], ids=pop.id_strings(nums[:n]), spare_ids=pop.id_strings(nums[n:]), pref=pref,
        orderer=orderer, public=public, model=model, amount=amount, start=start, end=end, end_a=end_a, prime=prime,
        method=method, reader_a=reader, reader_b=reader_b, reader_from=reader_from, two_days=two_days, reg=reg,
        created_at=pop.created_stamp(rng, reg, cal), upd_day=upd, upd_at=upd_at, name_parts=name_parts,
        touch=touch.astype(np.float32), entry_mean=entry_mean, exit_mean=exit_mean, exit_cap=exit_cap,
        sat_open=sat, sun_open=sun, hol_open=hol, strict=strict, check_probs=check, unreg_business=unreg)


@dataclass
class NContracts:
    n: int
    site: np.ndarray
    biz: np.ndarray              # business index, -1 unregistered
    ref: pa.Array
    tier: np.ndarray
    upper: np.ndarray
    join: np.ndarray
    left: np.ndarray
    stamp_exception: np.ndarray
    left_reported: np.ndarray
    visible: np.ndarray


def make_contracts(p: ScaleParams, cal: pop.Calendar, B: NBusinesses, S: NSites, seed: int) -> NContracts:
    rng = _rng(seed, "contracts")
    lam = np.clip(0.8 + 1.1 * np.log10(S.amount / 5e7), 0.5, 7.0)
    st, en = S.start, S.end
    dur = en - st + 1
    # tier 1
    n1 = 1 + rng.poisson(lam)
    s1 = np.repeat(np.arange(S.n), n1)
    j1 = st[s1] + np.floor(rng.random(len(s1)) * 0.6 * dur[s1]).astype(np.int64)
    l1 = np.minimum(en[s1], j1 + np.maximum(10, np.floor(dur[s1] * rng.uniform(0.25, 0.9, len(s1))).astype(np.int64)))
    # tier 2
    n2 = np.minimum(4, rng.poisson(1.1, len(s1)))
    p2 = np.repeat(np.arange(len(s1)), n2)
    j2 = j1[p2] + np.floor(rng.random(len(p2)) * 0.5 * (l1[p2] - j1[p2])).astype(np.int64)
    l2 = np.minimum(l1[p2], j2 + np.maximum(5, np.floor((l1[p2] - j2) * rng.uniform(0.4, 1.0, len(p2))).astype(np.int64)))
    # tier 3
    n3 = np.minimum(2, rng.poisson(0.15, len(p2)))
    p3 = np.repeat(np.arange(len(p2)), n3)
    j3 = j2[p3] + np.floor(rng.random(len(p3)) * 0.5 * (l2[p3] - j2[p3])).astype(np.int64)
    l3 = np.minimum(l2[p3], j3 + np.maximum(3, np.floor((l2[p3] - j3) * rng.uniform(0.4, 1.0, len(p3))).astype(np.int64)))

    n0 = S.n
    site = np.r_[np.arange(n0), s1, s1[p2], s1[p2][p3]]
    tier = np.r_[np.zeros(n0, np.int64), np.ones(len(s1), np.int64), np.full(len(p2), 2), np.full(len(p3), 3)]
    join = np.r_[st, j1, j2, j3]
    left = np.r_[en, l1, l2, l3]
    o1, o2, o3 = n0, n0 + len(s1), n0 + len(s1) + len(p2)
    upper = np.r_[np.full(n0, -1), s1, o1 + p2, o2 + p3]
    n = len(site)

    # businesses: unregistered with a site-dependent propensity, else from the pools
    spec = np.flatnonzero((B.kind == SPECIALTY) & ~B.dormant)
    sole = np.flatnonzero(B.kind == SOLE)
    gens = np.flatnonzero((B.kind == GENERAL) & ~B.dormant)
    unreg_factor = np.array([0.0, 0.5, 1.5, 2.5])[tier]
    sole_share = np.array([0.0, 0.0, 0.45, 0.7])[tier]

    def draw(rows):
        k = len(rows)
        u = rng.random(k)
        out = np.full(k, -1, np.int64)
        want = S.pref[site[rows]]
        is_gen = (tier[rows] == 1) & (u < 0.03)
        is_sole = ~is_gen & (rng.random(k) < sole_share[rows])
        is_spec = ~is_gen & ~is_sole
        for mask, pool, w in ((is_gen, gens, (B.workers[gens] + 1.0) ** 0.5),
                              (is_sole, sole, np.ones(len(sole))),
                              (is_spec, spec, (B.workers[spec] + 1.0) ** 0.8)):
            if mask.any():
                out[mask] = _weighted_in_groups(rng, pool, w, B.pref[pool], want[mask], 5.0)
        return out

    biz = np.full(n, -1, np.int64)
    biz[:n0] = S.prime
    sub = np.arange(n0, n)
    registered = rng.random(len(sub)) >= S.unreg_business[site[sub]] * unreg_factor[sub]
    drawn = sub[registered]
    rows = drawn
    for attempt in range(3):       # redraw a business registered after joining, or twice on one site
        if not len(rows):
            break
        biz[rows] = draw(rows) if attempt < 2 else -1
        key = site * (B.n + 1) + np.where(biz >= 0, biz, B.n)
        _, first = np.unique(key, return_index=True)
        dup = np.ones(n, bool)
        dup[first] = False
        dup &= biz >= 0
        late = (biz >= 0) & (B.reg[np.maximum(biz, 0)] > join)
        bad = (dup | late)
        bad[:n0] = False                     # primes stay
        rows = np.flatnonzero(bad)

    # canonical order: by site, tier, join; upper indices follow
    order = np.lexsort((np.arange(n), join, tier, site))
    inv = np.empty(n, np.int64)
    inv[order] = np.arange(n)
    site, tier, join, left, biz = site[order], tier[order], join[order], left[order], biz[order]
    upper = np.where(upper[order] >= 0, inv[np.maximum(upper[order], 0)], -1)
    lnum = 1_000_000 + np.cumsum(biz < 0)
    bid = B.ids
    refs = pc.if_else(pa.array(biz >= 0), _take(bid, np.maximum(biz, 0)),
                      _join("L", pa.array(lnum).cast(pa.string())))
    stamp_exc = (tier > 0) & (biz >= 0) & (S.method[site] == METHOD["electronic"]) & (rng.random(n) < 0.06)
    visible = np.maximum(join - rng.integers(0, 15, n), S.reg[site])
    return NContracts(n=n, site=site, biz=biz, ref=refs, tier=tier, upper=upper, join=join, left=left,
                      stamp_exception=stamp_exc, left_reported=rng.random(n) < 0.95, visible=visible)


# --------------------------------------------------------------------------------------------
# persons without a CCUS id
# --------------------------------------------------------------------------------------------
@dataclass
class NPersons:
    n: int
    n_workers: int
    ref: pa.Array              # registered: worker ids; others P + 8 digits
    occ: np.ndarray
    ins: np.ndarray
    key: np.ndarray            # business index, or B.n + contract index
    avail: np.ndarray
    score: np.ndarray
    propensity: np.ndarray

    def registered(self, idx: np.ndarray) -> np.ndarray:
        return idx < self.n_workers


def make_persons(p: ScaleParams, cal: pop.Calendar, B: NBusinesses, W: NWorkers, C: NContracts, seed: int) -> NPersons:
    rng = _rng(seed, "persons")
    share = np.clip(rng.normal(p.unregistered_person_share, 0.08 if p.unregistered_person_share > 0.05 else 0.01, B.n),
                    0, 0.5)
    n_reg_biz = np.where(B.kind == SOLE, B.employees_a, rng.binomial(B.workers, share))
    n_reg_biz = np.where(B.dormant, 0, n_reg_biz)
    unreg_c = np.flatnonzero(C.biz < 0)
    n_unreg = 1 + rng.poisson(2.5, len(unreg_c))
    key_p = np.r_[np.repeat(np.arange(B.n), n_reg_biz), np.repeat(B.n + unreg_c, n_unreg)]
    np_ = len(key_p)
    raw = rng.integers(10_000_000, 90_000_000, np_ + np_ // 4 + 64)
    _, first = np.unique(raw, return_index=True)
    nums = raw[np.sort(first)][:np_]
    p_refs = _join("P", pa.array(nums).cast(pa.string()))
    O = ref.occupations()
    trade = np.where(key_p < B.n, B.trade[np.minimum(key_p, B.n - 1)], -1)
    rand_occ = np.searchsorted(np.cumsum(O.weights), rng.random(np_) * 0.999999)
    occ_p = np.where((trade >= 0) & (rng.random(np_) < 0.7), trade, rand_occ)
    ins_p = np.zeros((np_, 3), dtype=np.int8)
    u = rng.random(np_)
    ins_p[u > 0.90, 1:] = PER_INS["not_enrolled"]
    ins_p[u > 0.97] = PER_INS["unknown"]
    ins_p[(u <= 0.90) & (rng.random(np_) < 0.05), 2] = PER_INS["exempt"]
    exp_years = (cal.d0 - W.exp_start) / 365.25
    score_w = 100 + W.level_a * 10 + np.clip(exp_years, 0, 50) + rng.random(W.n)
    return NPersons(
        n=W.n + np_, n_workers=W.n, ref=pa.concat_arrays([W.ids, p_refs]),
        occ=np.r_[W.occ, occ_p].astype(np.int16), ins=np.concatenate([W.ins_a, ins_p]),
        key=np.r_[W.employer, key_p], avail=np.r_[W.reg, np.full(np_, -pop.NEVER)],
        score=np.r_[score_w, rng.random(np_) * 30].astype(np.float32),
        propensity=np.r_[W.propensity, rng.random(np_).astype(np.float32)])


# --------------------------------------------------------------------------------------------
# a month of crews
# --------------------------------------------------------------------------------------------
@dataclass
class Crews:
    """Who is on which contract's crew in one month, sorted as the rosters list them."""
    first: int
    last: int
    person: np.ndarray
    contract: np.ndarray
    site: np.ndarray
    start: np.ndarray
    end: np.ndarray
    role: np.ndarray
    check: np.ndarray
    ins: np.ndarray
    admitted: np.ndarray
    exit_offset: np.ndarray
    registered: np.ndarray
    open_: np.ndarray          # (sites, days of the month)


@dataclass
class Pending:
    """Attendance records waiting for the file of their receipt day."""
    cols: dict

    @staticmethod
    def empty() -> "Pending":
        return Pending({})

    def add(self, cols: dict, mask: np.ndarray) -> None:
        for k, v in cols.items():
            part = v[mask]
            self.cols[k] = np.concatenate([self.cols[k], part]) if k in self.cols else part

    def pop(self, day: int) -> dict:
        if not self.cols:
            return {}
        mask = self.cols["recv_day"] == day
        out = {k: v[mask] for k, v in self.cols.items()}
        self.cols = {k: v[~mask] for k, v in self.cols.items()}
        return out


ATT_COLS = ("site", "worker", "day", "entered", "exited", "role", "method", "recv", "rid", "recv_day")


class NationalWorld:
    def __init__(self, p: ScaleParams, start: dt.date, days: int, seed: int, popn: Population | None = None):
        self.p, self.seed = p, seed
        popn = popn or build_population(p, start, days, seed)
        self.cal, self.curves, self.B, self.W = popn.cal, popn.curves, popn.B, popn.W
        self.S = popn.S or make_sites(p, self.cal, self.B, seed)
        self.C = make_contracts(p, self.cal, self.B, self.S, seed)
        self.Pn = make_persons(p, self.cal, self.B, self.W, self.C, seed)
        self.occ_table = pa.array(ref.occupations().codes, pa.string())
        self.pref_codes = ref.prefectures().codes
        self._devices = None

    # ---- crews ----------------------------------------------------------------------------
    def crews(self, first: int, last: int) -> Crews:
        p, B, S, C, Pn = self.p, self.B, self.S, self.C, self.Pn
        rng = _rng(self.seed, "month", first)
        ckey = np.where(C.biz >= 0, C.biz, B.n + np.arange(C.n))
        active = np.flatnonzero((C.join <= last) & (C.left >= first))
        active = active[np.lexsort((active, ckey[active]))]
        akeys = ckey[active]
        eligible = np.flatnonzero((Pn.propensity < p.site_worker_share) & (Pn.avail <= last))
        k = Pn.key[eligible]
        lo = np.searchsorted(akeys, k, "left")
        cnt = np.searchsorted(akeys, k, "right") - lo
        has = cnt > 0
        person, lo, cnt = eligible[has], lo[has], cnt[has]
        contract = active[lo + np.floor(rng.random(len(person)) * cnt).astype(np.int64)]
        start = np.maximum(np.maximum(C.join[contract], first), Pn.avail[person])
        end = np.minimum(C.left[contract], last)
        ok = start <= end
        # when that contract covers only part of the month, the days before and after it on other
        # contracts of the employer (people move between sites): at most three crews a month
        m_lo = np.maximum(first, Pn.avail[person])
        parts = [(person[ok], contract[ok], start[ok], end[ok])]
        for seg_lo, seg_hi in ((end + 1, np.full(len(person), last)), (m_lo, start - 1)):
            c2 = active[lo + np.floor(rng.random(len(person)) * cnt).astype(np.int64)]
            start2 = np.maximum(seg_lo, C.join[c2])
            end2 = np.minimum(seg_hi, C.left[c2])
            ok2 = ok & (start2 <= end2) & (c2 != contract)
            parts.append((person[ok2], c2[ok2], start2[ok2], end2[ok2]))
        person, contract, start, end = (np.concatenate(x) for x in zip(*parts))
        n = len(person)
        site = C.site[contract]

        order = np.lexsort((-Pn.score[person], contract))
        sorted_c = contract[order]
        firsts = np.r_[0, np.flatnonzero(np.diff(sorted_c)) + 1] if n else np.zeros(0, np.int64)
        sizes = np.diff(np.r_[firsts, n])
        rank = np.arange(n) - np.repeat(firsts, sizes)
        size_of = np.repeat(sizes, sizes)
        role_sorted = np.where(rank == 0, ROLE["foreman"],
                               np.where(rank <= (size_of - 1) // 5, ROLE["subforeman"], ROLE["general"]))
        role = np.empty(n, dtype=np.int8)
        role[order] = role_sorted

        reg = Pn.registered(person)
        check = np.where(reg, pop.row_choice(rng, S.check_probs[site]) if n else np.zeros(0, np.int64),
                         np.where(rng.random(n) < 0.94, CHECK["document"], CHECK["none"])).astype(np.int8)
        ins = np.where((check == CHECK["none"])[:, None], PER_INS["unknown"], Pn.ins[person]).astype(np.int8)
        violation = ((ins == PER_INS["not_enrolled"]) | (ins == PER_INS["unknown"])).any(axis=1)
        admitted = ~(violation & S.strict[site] & (rng.random(n) < 0.8))
        end = np.where(admitted, end, start)
        exit_offset = (rng.normal(0, 900, n) + 1500 * (role == ROLE["foreman"])).astype(np.float32)

        # open days of each site in the month
        cal = self.cal
        di = np.arange(first, last + 1) - cal.d0
        dow, hol = cal.dow[di], cal.holiday[di]
        sat, sun = (dow == 5) & ~hol, dow == 6
        hol_only = hol & ~sun
        prob = np.full((S.n, len(di)), 0.97, np.float32)
        prob[:, sat] = S.sat_open[:, None]
        prob[:, sun] = S.sun_open[:, None]
        prob[:, hol_only] = S.hol_open[:, None]
        prob[:, cal.year_end_obon[di]] = 0.0
        period = np.arange(first, last + 1)
        inside = (period[None, :] >= S.start[:, None]) & (period[None, :] <= S.end[:, None])
        open_ = inside & (rng.random((S.n, len(di)), dtype=np.float32) < prob)

        o = np.lexsort((person, role, contract, site))
        return Crews(first, last, person[o], contract[o], site[o], start[o], end[o], role[o], check[o], ins[o],
                     admitted[o], exit_offset[o], reg[o], open_)

    # ---- one day -------------------------------------------------------------------------
    def day(self, K: Crews, d: int, acc: dict) -> tuple[np.ndarray, dict]:
        """Roster rows (indices into the crews) and the work-history records of work day d."""
        p, S, W, cal = self.p, self.S, self.W, self.cal
        rng = _rng(self.seed, "day", d)
        di = d - K.first
        on = (K.start <= d) & (K.end >= d)
        cand = np.flatnonzero(on)
        cand = cand[K.open_[K.site[cand], di]]
        saturday = cal.dow[d - cal.d0] == 5
        present = rng.random(len(cand)) >= p.absence_rate + 0.15 * saturday
        roster = cand[present | ~K.admitted[cand]]

        worked = roster[K.registered[roster] & K.admitted[roster]]
        worker, site = K.person[worked], K.site[worked]
        n = len(worked)
        entry_sod = np.clip(S.entry_mean[site] + rng.normal(0, 600, n), 7 * 3600, 8 * 3600 + 59 * 60).astype(np.int64)
        exit_sod = S.exit_mean[site] + K.exit_offset[worked] + rng.normal(0, 1200, n) - 3600 * saturday
        exit_sod = np.clip(exit_sod, 16 * 3600 + 30 * 60, S.exit_cap[site]).astype(np.int64)
        # hours for wages (every registered, admitted roster day)
        holiday_day = bool(cal.dow[d - cal.d0] == 6 or cal.holiday[d - cal.d0])
        on_site = (exit_sod - entry_sod) / 3600.0
        hours = on_site - np.where(on_site > 8, 1.0, np.where(on_site > 6, 0.75, 0.0))
        acc["ro_days"][worked] += 1          # per crew row (engagement): one row a day
        if holiday_day:
            acc["hol"][worked] += hours
        else:
            acc["ot"][worked] += np.maximum(0.0, hours - 8)
        acc["fdays"][worked] += K.role[worked] == ROLE["foreman"]

        touched = rng.random(n) < np.minimum(S.touch[site] * W.touch_factor[worker], 0.99)
        t = np.flatnonzero(touched)
        worked, worker, site = worked[t], worker[t], site[t]
        acc["wh_days"][worked] += 1
        entered = d * 86400 + entry_sod[t]
        exited = d * 86400 + exit_sod[t]
        m = len(t)
        exited[rng.random(m) < p.missing_exit_share] = NA
        reader_on = S.reader_from[site] <= d
        method = act.input_methods(rng, reader_on).astype(np.int8)
        role = K.role[worked]
        dup, d_entered, d_exited = act.duplicate_touches(rng, entered, exited, p.duplicate_touch_share)

        # records with no roster row: a colleague of the same employer, not on this site this month
        nr = np.flatnonzero(rng.random(m) < p.no_roster_share)
        emp = W.employer[worker[nr]]
        lo = np.searchsorted(W.employer, emp, "left")
        cnt = np.searchsorted(W.employer, emp, "right") - lo
        other = lo + np.floor(rng.random(len(nr)) * cnt).astype(np.int64)
        ok = (other != worker[nr]) & (W.reg[other] <= d) & (acc["site_a"][other] != site[nr]) \
            & (acc["site_b"][other] != site[nr])
        nr, other = nr[ok], other[ok]

        a_site = np.r_[site, site[dup], site[nr]]
        a_worker = np.r_[worker, worker[dup], other]
        a_entered = np.r_[entered, d_entered, entered[nr] + rng.integers(-300, 300, len(nr))]
        a_exited = np.r_[exited, d_exited, exited[nr]]
        a_role = np.r_[role, role[dup], np.full(len(nr), ROLE["general"], np.int8)]
        a_method = np.r_[method, method[dup], method[nr]]
        k = len(a_site)
        late = rng.random(k) < p.late_share * act.LATE_FACTOR[a_method]
        delay = 1 + np.minimum(rng.geometric(0.3, k) - 1, 9)
        recv_day = np.minimum(d + np.where(late, delay, 0), cal.end)
        base = np.where(a_exited != NA, a_exited, a_entered + 4 * 3600)
        same = np.minimum(base + rng.integers(60, 5400, k), d * 86400 + 86399)
        later = recv_day * 86400 + rng.integers(6 * 3600, 23 * 3600, k)
        recv = np.where(recv_day > d, later, same)
        dup_pos = np.arange(m, m + len(dup))
        recv[dup_pos] = np.minimum(np.maximum(recv[dup], recv[dup_pos]) + rng.integers(1, 60, len(dup)),
                                   recv_day[dup_pos] * 86400 + 86399)
        rid = (d - LAUNCH) * 100_000_000 + np.cumsum(rng.integers(1, 8, k))
        return roster, {"site": a_site, "worker": a_worker, "day": np.full(k, d, np.int64), "entered": a_entered,
                        "exited": a_exited, "role": a_role, "method": a_method, "recv": recv, "rid": rid,
                        "recv_day": recv_day}

    # ---- device ids ---------------------------------------------------------------------------
    def device_table(self) -> tuple[pa.Array, int, int]:
        """All device ids: per site CR-…-01, CR-…-02, FR-…; per worker SP-xxxxxxxx; four API vendors."""
        if self._devices is None:
            S, W = self.S, self.W
            last6 = pc.utf8_slice_codeunits(S.ids, 8, 14)
            cr1 = _join("CR-", last6, "-01")
            cr2 = _join("CR-", last6, "-02")
            fr = _join("FR-", last6)
            h = (np.arange(W.n, dtype=np.uint64) * np.uint64(2654435761)) % np.uint64(1 << 32)
            hexd = np.frombuffer(b"0123456789abcdef", np.uint8)
            mat = np.empty((W.n, 11), np.uint8)
            mat[:, 0], mat[:, 1], mat[:, 2] = ord("S"), ord("P"), ord("-")
            for i in range(8):
                mat[:, 3 + i] = hexd[((h >> np.uint64(4 * (7 - i))) & np.uint64(15)).astype(np.int64)]
            sp = _from_fixed(mat, None, None)
            api = _s(f"API-VENDOR{v}" for v in range(1, 5))
            self._devices = pa.concat_arrays([cr1, cr2, fr, sp, api])
        return self._devices

    def devices(self, method: np.ndarray, site: np.ndarray, worker: np.ndarray, rng) -> Lookup:
        S, W = self.S, self.W
        unit = rng.integers(0, 2, len(method))
        idx = np.select(
            [method == INPUT["card_reader"], method == INPUT["face_recognition"], method == INPUT["smartphone_app"],
             method == INPUT["api"]],
            [unit * S.n + site, 2 * S.n + site, 3 * S.n + worker, 3 * S.n + W.n + site % 4], default=-1)
        return Lookup(idx, self.device_table())


# --------------------------------------------------------------------------------------------
# registry rows
# --------------------------------------------------------------------------------------------
def _name_strings(names: np.ndarray) -> pa.Array:
    sur, male, fem = _s(ref.SURNAMES), _s(ref.GIVEN_MALE), _s(ref.GIVEN_FEMALE)
    given = pc.if_else(pa.array(names[:, 2].astype(bool)), _take(fem, np.minimum(names[:, 1], len(ref.GIVEN_FEMALE) - 1)),
                       _take(male, names[:, 1]))
    return _join(_take(sur, names[:, 0]), " ", given)


def _phone_strings(ph: np.ndarray) -> pa.Array:
    s = _join(_take(_s(("090", "080", "070")), np.maximum(ph[:, 0], 0)), "-", _digits(ph[:, 1], 4), "-",
              _digits(ph[:, 2], 4))
    return _null_where(s, ph[:, 0] < 0)


def _address_strings(home: np.ndarray, ad: np.ndarray) -> pa.Array:
    P = ref.prefectures()
    s = _join(_take(_s(P.names), home), _take(_s(P.capitals), home), _take(_s(ref.TOWNS), np.maximum(ad[:, 0], 0)),
              pa.array(ad[:, 1].astype(np.int64)).cast(pa.string()), "-",
              pa.array(ad[:, 2].astype(np.int64)).cast(pa.string()), "-",
              pa.array(ad[:, 3].astype(np.int64)).cast(pa.string()))
    return _null_where(s, ad[:, 0] < 0)


def _opt_digits(values: np.ndarray, width: int) -> pa.Array:
    return _null_where(_digits(np.where(values == NA, 0, values), width), values == NA)


def business_names(B: NBusinesses, idx: np.ndarray) -> pa.Array:
    O = ref.occupations()
    suffix_tbl = _s(ref.TRADE_SUFFIX.get(c, "工業") for c in O.codes)
    owner = _name_strings(B.owner[idx])
    sur = _take(_s(ref.SURNAMES), B.owner[idx, 0])
    suffix = _take(suffix_tbl, B.trade[idx])
    stem = _take(_s(ref.COMPANY_STEMS), B.stem[idx])
    form = B.form[idx]
    sole_name = pc.if_else(pa.array(B.surname_trade[idx]), _join(sur, suffix, " ", owner), owner)
    comp = pc.if_else(pa.array(form < 0.5), _join("株式会社", stem, suffix),
                      pc.if_else(pa.array(form < 0.75), _join(stem, suffix, "株式会社"), _join("有限会社", stem, suffix)))
    return pc.if_else(pa.array(B.kind[idx] == SOLE), sole_name, comp)


def _delivery_rows(k_new, k_upd, k):
    new = np.flatnonzero(k_new == k)
    upd = np.flatnonzero((k_upd == k) & (k_upd > k_new))
    idx = np.r_[new, upd]
    post = np.r_[k_upd[new] == k, np.ones(len(upd), bool)]
    return idx, post


BIG = np.iinfo(np.int64).max // 4


def _k(cal, days):
    days = np.asarray(days, dtype=np.int64)
    k = pop.first_delivery(cal, np.where(days == NA, 0, days))
    return np.where((days == NA) | (days > cal.deliveries[-1]), BIG, k)


# --------------------------------------------------------------------------------------------
# the writer
# --------------------------------------------------------------------------------------------
class Summary:
    def __init__(self, out: Path):
        self.out = out
        self.files: list[str] = []
        self.rows: Counter = Counter()
        self.bad: Counter = Counter()
        self.bad_by_feed: dict[str, Counter] = {}
        self.encodings: Counter = Counter()
        self.formats: Counter = Counter()

    def add(self, feed: str, written) -> None:
        self.files.append(Path(written.path).relative_to(self.out).as_posix())
        self.rows[feed] += written.rows
        self.encodings[written.encoding] += 1
        self.formats[written.fmt] += 1
        for kind, k in written.bad.items():
            self.bad[kind] += k
            self.bad_by_feed.setdefault(feed, Counter())[kind] += k


def _fname(feed: str, day: int, ext: str = "csv") -> str:
    return f"{feed}/{feed}_{pop.date_of(day):%Y%m%d}.{ext}"


class Fresh:
    def __init__(self, start: int):
        self.n = start

    def __call__(self, template: str) -> str:
        self.n += 1
        return template.format(self.n)


def _bad_kinds(rng, rows: int, fmt: str, kinds: tuple[str, ...], rate: float, force: set) -> list[tuple[str, int]]:
    """Deliberately bad rows of one file: Poisson per kind (the format's raw kind only), at least
    one of each kind in `force`."""
    out = []
    if rows == 0:
        return out
    for kind in kinds:
        need = {"field_count": "csv", "malformed_json": "jsonl"}.get(kind)
        if need is not None and need != fmt:
            continue
        k = int(rng.poisson(rate * rows / len(kinds)))
        if kind in force:
            k = max(k, 1)
            force.discard(kind)
        out += [(kind, int(b)) for b in rng.integers(0, min(rows, CHUNK), k)]     # into the first chunk
    return out


def _fork_writer():
    """Run file writers in forked children (copy-on-write views of the generated arrays), at most
    one at a time beside the generating parent; results come back through a pipe."""
    return ForkPool(max_children=int(os.environ.get("CCUS_SIM_WRITERS", "0")))


class ForkPool:
    def __init__(self, max_children: int = 1):
        self.max = max_children if hasattr(os, "fork") else 0
        self.running: list[tuple[int, int]] = []     # (pid, read fd)
        self.results: list = []

    def submit(self, fn, *args) -> None:
        if self.max <= 0:
            self.results.append(fn(*args))
            return
        while len(self.running) >= self.max:
            self._reap_one()
        import pickle
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:                                   # child
            os.close(r)
            code = 0
            try:
                payload = pickle.dumps(("ok", fn(*args)))
            except BaseException as e:                 # noqa: BLE001 - reported to the parent
                import traceback
                payload = pickle.dumps(("error", f"{e!r}\n{traceback.format_exc()}"))
                code = 1
            with os.fdopen(w, "wb") as f:
                f.write(payload)
            os._exit(code)
        os.close(w)
        self.running.append((pid, r))

    def _reap_one(self) -> None:
        import pickle
        pid, r = self.running.pop(0)
        with os.fdopen(r, "rb") as f:
            data = f.read()
        os.waitpid(pid, 0)
        status, value = pickle.loads(data) if data else ("error", "writer process died")
        if status != "ok":
            raise RuntimeError(f"simulator writer failed: {value}")
        self.results.append(value)

    def join(self) -> list:
        while self.running:
            self._reap_one()
        out, self.results = self.results, []
        return out


def registry_style(delivery: int, feed_no: int) -> Style:
    from ccus.simulate.core import registry_style as rs
    return rs(delivery, feed_no)


class NationalWriter:
    def __init__(self, world: NationalWorld, out: Path):
        self.w = world
        self.out = out
        self.summary = Summary(out)
        self.pool = _fork_writer()
        self.fresh = Fresh(0)
        self.force_roster = set(("bad_id", "bad_enum", "work_date_mismatch", "field_count"))
        self.force_att = set(("bad_id", "bad_date", "bad_enum", "exit_before_entry", "field_count", "malformed_json"))
        # byte matrices of the big string tables, built once here so forked writers share them
        from ccus.simulate.stream import byte_table
        for table in (world.S.ids, world.W.ids, world.B.ids, world.C.ref, world.Pn.ref, world.device_table()):
            byte_table(table)

    def file_rng(self, feed: str, day: int) -> np.random.Generator:
        return _rng(self.w.seed, "files", list(FEEDS).index(feed), day)

    def emit(self, feed: str, fn, *args) -> None:
        self.pool.submit(_tagged, feed, fn, *args)

    def collect(self) -> None:
        for feed, written in self.pool.join():
            self.summary.add(feed, written)

    # ---- registry ---------------------------------------------------------------------------
    def business_rows(self, idx, post, delta):
        B = self.w.B
        d = {
            "business_id": Lookup(idx, B.ids),
            "business_name": business_names(B, idx),
            "prefecture_code": self.w.pref_codes[B.pref[idx]],
            "is_sole_proprietor": B.kind[idx] == SOLE,
            "capital_yen": B.capital[idx],
            "employee_count": np.where(post, B.employees_b[idx], B.employees_a[idx]),
            "registered_on": B.reg[idx],
            "association_codes": Lookup(np.where(np.where(post, B.assoc_b[idx], B.assoc_a[idx]) == 0, -1,
                                                 np.where(post, B.assoc_b[idx], B.assoc_a[idx])), _assoc_strings()),
            "kentaikyo_contractor_no": _null_where(
                _join(_digits(self.w.pref_codes[B.pref[idx]], 2), _digits(np.where(B.kc[idx] == NA, 0, B.kc[idx]), 7)),
                B.kc[idx] == NA),
            "updated_at": Stamps(np.where(post, B.upd_at[idx], B.created_at[idx])),
        }
        for j, col in enumerate(("health_insurance", "pension_insurance", "employment_insurance")):
            d[col] = np.where(post, B.ins_b[idx, j], B.ins_a[idx, j])
        if delta:
            d["is_withdrawn"] = post & B.withdrawn_b[idx]
        return d

    def worker_rows(self, idx, post, delta):
        W, B = self.w.W, self.w.B
        pc_ = post[:, None]
        d = {
            "worker_id": Lookup(idx, W.ids),
            "worker_name": _name_strings(W.name[idx]),
            "phone": _phone_strings(np.where(pc_, W.phone_b[idx], W.phone_a[idx])),
            "address": _address_strings(W.home[idx], np.where(pc_, W.addr_b[idx], W.addr_a[idx])),
            "birth_date": W.birth[idx],
            "employer_business_id": Lookup(W.employer[idx], B.ids),
            "occupation_code": Lookup(W.occ[idx].astype(np.int64), self.w.occ_table),
            "registration_type": np.where(W.detailed[idx], REG_TYPE["detailed"], REG_TYPE["simple"]),
            "registered_on": W.reg[idx],
            "level": np.where(post, W.level_b[idx], W.level_a[idx]).astype(np.int64),
            "level_judged_on": np.where(post, W.judged_b[idx], W.judged_a[idx]),
            "qualifications": Lookup(np.where(post, W.quals_b.idx[idx], W.quals_a.idx[idx]), W.quals_a.table),
            "experience_start_on": W.exp_start[idx],
            "insurance_verified_on": np.where(post, W.verified_b[idx], W.verified_a[idx]),
            "kentaikyo_member_no": _opt_digits(np.where(post, W.kt_b[idx], W.kt_a[idx]), 10),
            "updated_at": Stamps(np.where(post, W.upd_at[idx], W.created_at[idx])),
        }
        for j, col in enumerate(("health_insurance", "pension_insurance", "employment_insurance")):
            d[col] = np.where(post, W.ins_b[idx, j], W.ins_a[idx, j])
        return d

    def site_rows(self, idx, post, delta):
        S, B = self.w.S, self.w.B
        return {
            "site_id": Lookup(idx, S.ids),
            "site_name": site_names(S, idx),
            "prefecture_code": self.w.pref_codes[S.pref[idx]],
            "orderer_type": S.orderer[idx],
            "is_public_works": S.public[idx],
            "model_project_type": S.model[idx],
            "contract_amount_yen": S.amount[idx],
            "start_on": S.start[idx],
            "end_on": np.where(post, S.end[idx], S.end_a[idx]),
            "prime_business_id": Lookup(S.prime[idx], B.ids),
            "kentaikyo_method": S.method[idx],
            "card_reader_installed": np.where(post, S.reader_b[idx], S.reader_a[idx]),
            "two_days_off_type": S.two_days[idx],
            "registered_on": S.reg[idx],
            "updated_at": Stamps(np.where(post, S.upd_at[idx], S.created_at[idx])),
        }

    def registry_bad(self, feed, n_rows: int, rng) -> list[BadRow]:
        w = self.w
        spare = {"businesses": w.B.spare_ids, "workers": w.W.spare_ids, "sites": w.S.spare_ids}
        return registry_bad_rows(feed, w.p.registry_bad_rows, n_rows, rng, spare, lambda i: f"L9{900000 + i:07d}")

    def write_registry(self) -> None:
        w = self.w
        cal, B, W, S, C = w.cal, w.B, w.W, w.S, w.C
        K = len(cal.deliveries)
        specs = [(BUSINESSES, B.num, _k(cal, B.reg), _k(cal, B.upd_day), self.business_rows),
                 (WORKERS, W.num, _k(cal, W.reg), _k(cal, W.upd_day), self.worker_rows),
                 (SITES, S.num, _k(cal, S.reg), _k(cal, S.upd_day), self.site_rows)]
        for feed_no, (feed, num, k_new, k_upd, rows_of) in enumerate(specs):
            per_k = []
            for k in range(K):
                idx, post = _delivery_rows(k_new, k_upd, k)
                o = np.lexsort((post, num[idx]))
                per_k.append((idx[o], post[o]))
            kb = next((k for k in range(1, K) if len(per_k[k][0])), 0)
            for k in range(K):
                idx, post = per_k[k]
                day = int(cal.deliveries[k])
                rng = self.file_rng(feed.name, day)
                bad = self.registry_bad(feed, len(idx), rng) if k == kb else []
                path = self.out / _fname(feed.name, day)
                style = registry_style(k, feed_no)
                self.emit(feed.name, _write_registry_file, path, feed, rows_of, idx, post, k > 0, style, rng, bad)
            self.collect()   # the registry arrays are large: one feed at a time

        k_vis = _k(cal, C.visible)
        k_left = np.where(C.left_reported, _k(cal, C.left), BIG)
        per_k = []
        for k in range(K):
            new = np.flatnonzero(k_vis == k)
            upd = np.flatnonzero((k_left == k) & (k_left > k_vis) & (k_vis < BIG))
            idx = np.r_[new, upd]
            idx = idx[np.lexsort((C.join[idx], C.tier[idx], C.site[idx]))]
            per_k.append(idx)
        kb = next((k for k in range(1, K) if len(per_k[k])), 0)
        for k in range(K):
            idx = per_k[k]
            day = int(cal.deliveries[k])
            shown = C.left_reported[idx] & (C.left[idx] <= day)
            up = C.upper[idx]
            data = {
                "site_id": Lookup(C.site[idx], S.ids),
                "business_ref": Lookup(idx, C.ref),
                "is_ccus_registered": C.biz[idx] >= 0,
                "upper_business_ref": Lookup(np.where(up >= 0, up, -1), C.ref),
                "tier": C.tier[idx],
                "joined_on": C.join[idx],
                "left_on": np.where(shown, C.left[idx], NA),
                "stamp_exception": C.stamp_exception[idx],
            }
            rng = self.file_rng("site_contracts", day)
            bad = self.registry_bad(SITE_CONTRACTS, len(idx), rng) if k == kb else []
            self.emit("site_contracts", write_chunked, self.out / _fname("site_contracts", day), SITE_CONTRACTS, data,
                      registry_style(k, 3), rng, bad, CHUNK)
        self.collect()

    # ---- daily feeds ----------------------------------------------------------------------
    def roster_data(self, K: Crews, rows: np.ndarray, d: int) -> dict:
        w = self.w
        person = K.person[rows]
        return {
            "site_id": Lookup(K.site[rows], w.S.ids),
            "work_date": np.full(len(rows), d, np.int64),
            "business_ref": Lookup(K.contract[rows], w.C.ref),
            "person_ref": Lookup(person, w.Pn.ref),
            "is_ccus_registered": K.registered[rows],
            "role": K.role[rows],
            "occupation_code": Lookup(w.Pn.occ[person].astype(np.int64), w.occ_table),
            "insurance_check": K.check[rows],
            "health_insurance": K.ins[rows, 0],
            "pension_insurance": K.ins[rows, 1],
            "employment_insurance": K.ins[rows, 2],
            "admitted": K.admitted[rows],
        }

    def attendance_data(self, a: dict, rng) -> dict:
        w = self.w
        utc = a["method"] == INPUT["api"]
        rid = a["rid"]
        record_id = _join("WH", _digits(rid, 12))
        return {
            "record_id": record_id,
            "site_id": Lookup(a["site"], w.S.ids),
            "worker_id": Lookup(a["worker"], w.W.ids),
            "employer_business_id": Lookup(w.W.employer[a["worker"]], w.B.ids),
            "work_date": a["day"],
            "entered_at": Stamps(a["entered"], utc),
            "exited_at": Stamps(a["exited"], utc),
            "role": a["role"],
            "occupation_code": Lookup(w.W.occ[a["worker"]].astype(np.int64), w.occ_table),
            "input_method": a["method"],
            "device_id": w.devices(a["method"], a["site"], a["worker"], rng),
            "received_at": Stamps(a["recv"], utc),
        }

    def write_activity(self) -> dict:
        """Month by month, day by day: rosters, attendance; wages and kentaikyo at each month end."""
        from ccus.simulate.core import attendance_style, roster_style

        w = self.w
        cal = w.cal
        counts = Counter()
        pending = Pending.empty()
        months = _months(cal)
        i_roster = i_att = 0
        for first, last in months:
            K = w.crews(first, last)
            acc = _accumulators(w, K)
            for d in range(first, last + 1):
                roster, att = w.day(K, d, acc)
                if len(roster):
                    style = roster_style(i_roster)
                    rng = self.file_rng("rosters", d)
                    bad = [roster_bad_row(kind, base, self.fresh) for kind, base in
                           _bad_kinds(rng, len(roster), style.fmt, ROSTER_BAD, w.p.bad_row_rate, self.force_roster)]
                    self.emit("rosters", _write_day, self, "rosters", K, roster, d, style, rng, bad)
                    counts["rosters"] += len(roster)
                    i_roster += 1
                same = att["recv_day"] == d
                pending.add(att, ~same)
                today = {k: v[same] for k, v in att.items()}
                earlier = pending.pop(d)
                if earlier:
                    today = {k: np.r_[earlier[k], today[k]] for k in today}
                if d == cal.end:      # everything still pending arrives on the last day
                    rest = pending.cols
                    if rest:
                        today = {k: np.r_[today[k], rest[k]] for k in today}
                    pending = Pending.empty()
                n = len(today["site"])
                counts["attendance_generated"] += len(att["site"])
                if n:
                    o = np.argsort(today["recv"], kind="stable")
                    today = {k: v[o] for k, v in today.items()}
                    style = attendance_style(i_att, pop.date_of(d))
                    rng = self.file_rng("attendance", d)
                    bad = [attendance_bad_row(kind, base, self.fresh) for kind, base in
                           _bad_kinds(rng, n, style.fmt, ATTENDANCE_BAD, w.p.bad_row_rate, self.force_att)]
                    self.emit("attendance", _write_day, self, "attendance", today, None, d, style, rng, bad)
                    counts["attendance"] += n
                    i_att += 1
            self.write_month(K, acc, first, last)
            self.collect()
        return dict(counts)

    def write_month(self, K: Crews, acc: dict, first: int, last: int) -> None:
        from ccus.simulate.core import monthly_style

        w = self.w
        B, W, S = w.B, w.W, w.S
        m = int(pop.month_of(np.array([first]))[0])
        first_day = pop.date_of(pop.month_start(m))
        ym = f"{first_day:%Y-%m}"
        i = int(m - pop.month_of(np.array([w.cal.d0]))[0])
        rng = _rng(w.seed, "wages", m)
        member = (B.assoc_a | B.assoc_b).astype(bool) & B.survey
        reg = np.flatnonzero(K.registered)
        wk = K.person[reg]
        ro_w = np.bincount(wk, acc["ro_days"][reg], minlength=W.n)
        sel = np.flatnonzero((ro_w > 0) & member[W.employer])
        n = len(sel)
        O, P = ref.occupations(), ref.prefectures()
        days = ro_w[sel].astype(np.int64)
        fdays = np.bincount(wk, acc["fdays"][reg], minlength=W.n)[sel]
        ot = np.bincount(wk, acc["ot"][reg], minlength=W.n)[sel]
        hol = np.bincount(wk, acc["hol"][reg], minlength=W.n)[sel]
        noise = np.select([rng.random(n) < 0.85, rng.random(n) < 0.67], [0, rng.integers(-1, 2, n)],
                          rng.integers(-2, 3, n))
        days_worked = np.maximum(1, days + noise)
        fy = act.fiscal_year(np.array([m]))[0]
        price = ref.unit_price(int(fy))
        indiv = np.clip(rng.normal(1.0, 0.12, n), 0.6, 1.4)
        emp = W.employer[sel]
        level = W.level_on(pop.month_start(m), sel)
        daily = price * O.wage_factor[W.occ[sel]] * P.wage_factor[B.pref[emp]] * ref.LEVEL_MULTIPLIER[level] * indiv
        base = np.round(days_worked * daily * 0.82, -2)
        allowances = np.round(days_worked * daily * 0.06 + fdays * 1500, -2)
        ot_pay = np.round((ot * 1.25 + hol * 1.35) * daily / 8, -2)
        bonus = np.where(B.bonus[emp] & ((m % 12 + 1) in (7, 12)), np.round(daily * rng.uniform(10, 18, n), -3), 0)
        o = np.lexsort((sel, emp))
        as_int = lambda a: np.asarray(a, dtype=np.int64)[o]   # noqa: E731
        data = {
            "year_month": pa.array([ym] * n, pa.string()),
            "business_id": Lookup(emp[o], B.ids),
            "worker_id": Lookup(sel[o], W.ids),
            "days_worked": as_int(days_worked), "base_pay_yen": as_int(base), "allowances_yen": as_int(allowances),
            "overtime_pay_yen": as_int(ot_pay), "bonus_yen": as_int(bonus),
        }
        self.emit("wages", write_chunked, self.out / f"wages/wages_{first_day:%Y%m}.csv", WAGES, data, monthly_style(i),
                  _rng(w.seed, "files", 90, m), [], CHUNK)

        # 建退共: per site, business, worker of the month's crew on covered sites
        krng = _rng(w.seed, "kentaikyo", m)
        covered = S.public & (S.method != METHOD["none"])
        has_no = (W.kt_a != NA) | (W.kt_b != NA)
        e = reg[(acc["wh_days"][reg] > 0) & has_no[K.person[reg]] & covered[K.site[reg]]]
        key = K.site[e].astype(np.int64) * W.n + K.person[e]       # one row per (site, worker)
        ukey, kinv = np.unique(key, return_inverse=True)
        due = np.bincount(kinv, acc["wh_days"][e]).astype(np.int64)
        ro = np.maximum(np.bincount(kinv, acc["ro_days"][e]).astype(np.int64), due)
        site, sel = np.divmod(ukey, W.n)
        biz = W.employer[sel]
        n = len(sel)
        pair = site.astype(np.int64) * B.n + biz
        upair, pinv = np.unique(pair, return_inverse=True)
        beh = np.searchsorted(np.cumsum([0.62, 0.20, 0.10, 0.08]), krng.random(len(upair)), side="right")[pinv]
        mixed = (krng.random(len(upair)) < 0.05)[pinv]
        days = np.select([beh == 0, beh == 1, beh == 2], [due, ro, np.floor(due * krng.uniform(0.5, 0.9, n)).astype(np.int64)], 0)
        days = np.where(krng.random(n) < 0.03, 0, days)
        exc = w.C.stamp_exception
        exc_pairs = np.unique(w.C.site[exc].astype(np.int64) * B.n + w.C.biz[exc])
        exception = np.isin(pair, exc_pairs)
        method = np.where((S.method[site] == METHOD["electronic"]) & ~exception & ~mixed, KMETHOD["electronic"],
                          KMETHOD["stamp"])
        rate = ref.kentaikyo_daily_rate(first_day)
        keep = days > 0
        o = np.lexsort((sel[keep], biz[keep], site[keep]))
        pick = lambda a: np.asarray(a)[keep][o]   # noqa: E731
        k = int(keep.sum())
        data = {
            "year_month": pa.array([ym] * k, pa.string()),
            "site_id": Lookup(pick(site), S.ids),
            "business_id": Lookup(pick(biz), B.ids),
            "worker_id": Lookup(pick(sel), W.ids),
            "method": pick(method),
            "days_reported": pick(days),
            "amount_yen": pick(days) * rate,
        }
        self.emit("kentaikyo", write_chunked, self.out / f"kentaikyo/kentaikyo_{first_day:%Y%m}.csv", KENTAIKYO, data,
                  monthly_style(i + 1), _rng(w.seed, "files", 91, m), [], CHUNK)



def _tagged(feed, fn, *args):
    return feed, fn(*args)


def _write_registry_file(path, feed, rows_of, idx, post, delta, style, rng, bad):
    """Registry deliveries hold up to millions of rows: rows are built and written in chunks."""
    names = list(rows_of(idx[:1], post[:1], delta))
    writer = StreamWriter(path, feed, names, style, rng)
    n = len(idx)
    for i, a in enumerate(range(0, max(n, 1), CHUNK)):
        b = min(n, a + CHUNK)
        writer.write(rows_of(idx[a:b], post[a:b], delta), bad if i == 0 else [])
    return writer.close()


def _write_day(writer: NationalWriter, feed: str, a, rows, d: int, style: Style, rng, bad) -> object:
    path = writer.out / _fname(feed, d, style.fmt)
    if feed == "rosters":
        K = a
        names = list(writer.roster_data(K, rows[:1], d))
        out = StreamWriter(path, ROSTERS, names, style, rng)
        for i, s in enumerate(range(0, len(rows), CHUNK)):
            out.write(writer.roster_data(K, rows[s:s + CHUNK], d), bad if i == 0 else [])
        return out.close()
    n = len(a["site"])
    dev_rng = _rng(writer.w.seed, "files", 92, d)
    first = {k: v[:1] for k, v in a.items()}
    names = list(writer.attendance_data(first, dev_rng))
    out = StreamWriter(path, ATTENDANCE, names, style, rng)
    for i, s in enumerate(range(0, n, CHUNK)):
        part = {k: v[s:s + CHUNK] for k, v in a.items()}
        out.write(writer.attendance_data(part, dev_rng), bad if i == 0 else [])
    return out.close()


def _months(cal: pop.Calendar) -> list[tuple[int, int]]:
    period = cal.period
    m = pop.month_of(period)
    bounds = np.r_[0, np.flatnonzero(np.diff(m)) + 1, len(period)]
    return [(int(period[a]), int(period[b - 1])) for a, b in zip(bounds[:-1], bounds[1:])]


def _accumulators(w: NationalWorld, K: Crews) -> dict:
    """Per crew row (engagement) counters of the month, and each worker's sites."""
    n = len(K.person)
    site_a = np.full(w.W.n, -1, np.int64)
    site_b = np.full(w.W.n, -1, np.int64)
    reg = np.flatnonzero(K.registered)
    site_b[K.person[reg]] = K.site[reg]            # the last and the first of a worker's crews
    site_a[K.person[reg[::-1]]] = K.site[reg[::-1]]  # (a colleague's "no roster" record avoids both)
    return {"ro_days": np.zeros(n, np.int16), "wh_days": np.zeros(n, np.int16), "fdays": np.zeros(n, np.int16),
            "ot": np.zeros(n, np.float32), "hol": np.zeros(n, np.float32), "site_a": site_a, "site_b": site_b}


def activity_counts(world: NationalWorld, days: int | None = None) -> dict:
    """Rows the activity would write (rosters, work-history records) without rendering a file."""
    cal = world.cal
    counts = Counter()
    last_day = cal.end if days is None else min(cal.end, cal.d0 + days - 1)
    for first, last in _months(cal):
        if first > last_day:
            break
        K = world.crews(first, last)
        acc = _accumulators(world, K)
        counts["crew_members"] += len(K.person)
        counts["registered_in_crews"] += int(K.registered.sum())
        for d in range(first, min(last, last_day) + 1):
            roster, att = world.day(K, d, acc)
            counts["rosters"] += len(roster)
            counts["attendance"] += len(att["site"])
            counts["days"] += 1
    return dict(counts)


# --------------------------------------------------------------------------------------------
# entry point
# --------------------------------------------------------------------------------------------
def simulate(p: ScaleParams, out: Path, start: dt.date, days: int, seed: int) -> dict:
    out = Path(out)
    world = NationalWorld(p, start, days, seed)
    writer = NationalWriter(world, out)
    writer.write_registry()
    writer.write_activity()
    return summary_of(world, writer.summary, p.name, out, start, days, seed)
