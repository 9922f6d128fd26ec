"""Businesses (事業者): general contractors (the possible primes), specialty companies and sole
proprietors (一人親方), registered along the published curves. Drawn in two steps: the draft
(kind, registration, prefecture, trade, ...) before the workers are assigned to employers,
the rest once each business's registered workers are known."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from simulator import reference as ref
from simulator.codes import BUS_INS, GENERAL, SOLE, SPECIALTY
from simulator.curves import Curves
from simulator.dates import LAUNCH, NA, Calendar
from simulator.draw import choice_idx, created_stamp, event_days, id_strings, sample_curve, unique_ids, update_stamps
from simulator.identities import draw_names
from simulator.params import ScaleParams


@dataclass
class BusinessDraft:
    n: int
    nums: np.ndarray             # n + 8 distinct 14-digit numbers (the last 8 spare)
    kind: np.ndarray             # GENERAL / SPECIALTY / SOLE
    pref: np.ndarray             # 0..46
    trade: np.ndarray            # occupation index
    reg: np.ndarray              # registration day
    capital: np.ndarray          # NA = empty
    ins: np.ndarray              # (n, 3) business-level insurance
    kc: np.ndarray               # 建退共 contractor number (7 digits), NA = none
    owner: np.ndarray            # (n, 3) name codes of the owner (a sole proprietor is also a worker)
    stem: np.ndarray
    form: np.ndarray
    surname_trade: np.ndarray
    rng: np.random.Generator


@dataclass
class Businesses:
    n: int
    num: np.ndarray              # 14-digit id as a number
    ids: pa.Array
    spare_ids: pa.Array          # unused ids (for deliberately bad rows)
    kind: np.ndarray
    dormant: np.ndarray          # a company without registered workers
    pref: np.ndarray
    trade: np.ndarray
    reg: np.ndarray
    capital: np.ndarray
    employees_a: np.ndarray      # state a: the first row; state b: after the in-period update
    employees_b: np.ndarray
    assoc_a: np.ndarray          # bit mask of reference.ASSOCIATIONS
    assoc_b: np.ndarray
    ins_a: np.ndarray
    ins_b: np.ndarray
    withdrawn_b: np.ndarray
    kc: np.ndarray
    owner: np.ndarray
    stem: np.ndarray
    form: np.ndarray
    surname_trade: np.ndarray
    survey: np.ndarray           # answers the payroll survey (association members only)
    bonus: np.ndarray            # pays bonuses in July and December
    workers: np.ndarray          # registered workers employed
    created_at: np.ndarray
    upd_day: np.ndarray          # NA = no in-period update
    upd_at: np.ndarray


def draft_businesses(p: ScaleParams, cal: Calendar, curves: Curves, rng) -> BusinessDraft:
    O, P = ref.occupations(), ref.prefectures()
    n_comp, n_sole = int(round(curves.companies[-1])), int(round(curves.sole[-1]))
    n = n_comp + n_sole
    kind = np.r_[np.full(n_comp, SPECIALTY, np.int8), np.full(n_sole, SOLE, np.int8)]
    reg = np.r_[sample_curve(rng, n_comp, curves.knots, curves.companies, LAUNCH),
                sample_curve(rng, n_sole, curves.knots, curves.sole, LAUNCH)]
    # general contractors (the possible primes): companies registered before the period
    early = np.flatnonzero((kind == SPECIALTY) & (reg <= cal.d0 - 30))
    want = max(2 if n_comp >= 4 else 1, int(round(n_comp * p.general_contractor_share)))
    n_gen = min(len(early), want)
    kind[rng.choice(early, n_gen, replace=False) if n_gen else []] = GENERAL
    pref = choice_idx(rng, P.weights, n)
    gen_trades = np.array([O.codes.index(t) for t in ref.GENERAL_TRADES])
    trade = choice_idx(rng, O.weights, n)
    g = kind == GENERAL
    trade[g] = gen_trades[choice_idx(rng, np.array([0.4, 0.2, 0.3, 0.1]), int(g.sum()))]

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
    nums = unique_ids(rng, n + 8)
    return BusinessDraft(n=n, nums=nums, kind=kind, pref=pref, trade=trade, reg=reg, capital=capital, ins=ins, kc=kc,
                         owner=draw_names(rng, n), stem=rng.integers(0, len(ref.COMPANY_STEMS), n), form=rng.random(n),
                         surname_trade=rng.random(n) < 0.4, rng=rng)


def _association_masks(d: BusinessDraft, dormant: np.ndarray) -> np.ndarray:
    """Associations as bit masks: general contractors in 全建 (and 日建連 when large), specialty
    companies in their trade's association, a few sole proprietors too."""
    rng, n, kind, trade, capital = d.rng, d.n, d.kind, d.trade, d.capital
    O = ref.occupations()
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
    return mask


def finish_businesses(p: ScaleParams, cal: Calendar, d: BusinessDraft, workers: np.ndarray) -> Businesses:
    """The rest of the business registry, once the registered workers per business are known."""
    rng, n, kind, reg = d.rng, d.n, d.kind, d.reg
    sole = kind == SOLE
    dormant = (kind != SOLE) & (workers == 0)
    mask = _association_masks(d, dormant)
    ins = d.ins

    active = ~sole & ~dormant
    employees = np.where(sole, (rng.random(n) < 0.3).astype(np.int64),
                         np.floor(workers * rng.uniform(1.0, 1.6, n)).astype(np.int64) + rng.integers(0, 4, n))
    employees = np.where(active | sole, employees, rng.integers(0, 3, n))

    # in-period updates: insurance enrolment, a new association, the employee count; dormant ones withdraw
    created = created_stamp(rng, reg, cal)
    frac = cal.days / 365
    lo = np.maximum(reg, cal.d0) + 1
    upd = np.where((rng.random(n) < 0.12 * frac) | (dormant & (rng.random(n) < 0.3 * frac)),
                   event_days(rng, lo, cal.end), NA)
    has_upd = upd != NA
    u = rng.random(n)
    new_assoc = rng.integers(0, len(ref.ASSOCIATION_CODES), n)
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
    upd_at = update_stamps(rng, upd)
    nums = d.nums
    return Businesses(
        n=n, num=nums[:n], ids=id_strings(nums[:n]), spare_ids=id_strings(nums[n:]), kind=kind,
        dormant=dormant, pref=d.pref, trade=d.trade, reg=reg, capital=d.capital, employees_a=employees,
        employees_b=employees_b, assoc_a=mask, assoc_b=assoc_b, ins_a=ins, ins_b=ins_b, withdrawn_b=withdrawn_b,
        kc=d.kc, owner=d.owner, stem=d.stem, form=d.form, surname_trade=d.surname_trade,
        survey=rng.random(n) < p.wage_survey_share, bonus=rng.random(n) < 0.55, workers=workers,
        created_at=created, upd_day=upd, upd_at=upd_at)
