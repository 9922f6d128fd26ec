"""Registered technicians (技能者): employed by a company of their prefecture registered on or
before them (a sole proprietor is his own business's technician), registered along the published
curve, with levels, qualifications, insurance as verified by the registry, 建退共 numbers and
contact details, and at most one in-period update (state b)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from simulator import reference as ref
from simulator.businesses import BusinessDraft
from simulator.codes import BUS_INS, GENERAL, PER_INS, SOLE
from simulator.curves import Curves
from simulator.dates import LAUNCH, NA, Calendar
from simulator.draw import choice_idx, created_stamp, event_days, first_delivery, id_strings, sample_curve, unique_ids
from simulator.draw import update_stamps
from simulator.identities import draw_addresses, draw_names, draw_phones
from simulator.levels import field_index, judge_levels, qualification_lookups, qualifications
from simulator.params import ScaleParams
from simulator.render import Lookup


@dataclass
class Workers:
    n: int
    num: np.ndarray
    ids: pa.Array
    spare_ids: pa.Array
    employer: np.ndarray         # business index, sorted
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
    upd_kind: np.ndarray         # 0 level-up, 1 insurance, 2 建退共 number, 3 contact details
    upd_at: np.ndarray
    touch_factor: np.ndarray     # how reliably the worker touches in (behaviour, not a feed column)
    propensity: np.ndarray       # on a registered site's roster in a month when < site_worker_share

    def level_on(self, day, idx: np.ndarray) -> np.ndarray:
        """Registry level of workers `idx` on `day`."""
        up = (self.upd_kind[idx] == 0) & (self.upd_day[idx] != NA) & (day >= self.judged_b[idx])
        return np.where(up, self.level_b[idx], self.level_a[idx])


def assign_employers(rng, curves: Curves, reg_b: np.ndarray, pref_b: np.ndarray, kind: np.ndarray,
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
    # a small sample has no company in most prefectures: workers live where there are employers
    pref_w = choice_idx(rng, P.weights * (np.bincount(pref_b[comp], minlength=len(P.weights)) > 0), n_workers)
    reg_w = sample_curve(rng, n_workers, curves.knots, curves.company_workers, LAUNCH)
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


def _insurance(rng, n: int, sole: np.ndarray, employer_ins: np.ndarray) -> np.ndarray:
    ins = np.zeros((n, 3), dtype=np.int8)
    u = rng.random(n)
    unknown = u < 0.03
    not_enr = (u >= 0.03) & (u < 0.05)
    ins[unknown] = PER_INS["unknown"]
    ins[not_enr, 1] = PER_INS["not_enrolled"]
    ins[not_enr, 2] = PER_INS["not_enrolled"]
    ins[(employer_ins == BUS_INS["not_enrolled"]) & ~unknown[:, None]] = PER_INS["not_enrolled"]
    ins[~sole & ~unknown & (rng.random(n) < 0.02), 2] = PER_INS["exempt"]
    ins[sole & ~unknown, 2] = PER_INS["exempt"]
    return ins


def touch_factor(u: np.ndarray, level: np.ndarray) -> np.ndarray:
    """How reliably a worker touches in: 10 % rarely (0.3); holders of level 3-4, judged through
    CCUS and leading crews on CCUS sites, more reliably than most (1.4)."""
    return np.where(level >= 3, 1.4, np.where(u < 0.1, 0.3, 1.0)).astype(np.float32)


def make_workers(p: ScaleParams, cal: Calendar, curves: Curves, bd: BusinessDraft, rng, lrng) -> tuple[Workers, np.ndarray]:
    """The workers and the number of registered workers of each business."""
    O, P = ref.occupations(), ref.prefectures()
    kind, reg_b, pref_b, trade_b = bd.kind, bd.reg, bd.pref, bd.trade
    sole_b = np.flatnonzero(kind == SOLE)
    n_total = int(round(curves.workers[-1]))
    n_comp_workers = max(0, n_total - len(sole_b))
    emp_c, reg_c = assign_employers(rng, curves, reg_b, pref_b, kind, n_comp_workers)
    employer = np.r_[emp_c, sole_b]
    reg = np.r_[reg_c, reg_b[sole_b]]
    order = np.lexsort((reg, employer))
    employer, reg = employer[order], reg[order]
    n = len(employer)
    workers_per_b = np.bincount(employer, minlength=len(kind))
    sole = kind[employer] == SOLE

    occ = np.where(rng.random(n) < 0.75, trade_b[employer], choice_idx(rng, O.weights, n)).astype(np.int16)
    detailed = rng.random(n) < np.where(sole, 0.5, p.detailed_share)

    # registry delivery of each worker's first row
    k_new = first_delivery(cal, reg)
    first_day = cal.deliveries[np.minimum(k_new, len(cal.deliveries) - 1)]
    level, judged = judge_levels(lrng, n, reg, detailed, first_day, cal.d0, curves.factor)

    # age and experience; a level needs its years in construction
    age = np.clip(rng.normal(44, 12, n), 18, 72)
    age[sole] = np.clip(rng.normal(52, 10, int(sole.sum())), 25, 75)
    start_age = np.where(rng.random(n) < 0.85, rng.uniform(18, 26, n), rng.uniform(25, 40, n))
    exp_years = np.maximum(age - start_age, 0.3)
    need = ref.level_min_years()[level] + rng.uniform(0.2, 4, n) * (level > 1)
    exp_years = np.maximum(exp_years, need)
    age = np.maximum(age, start_age + exp_years)
    exp_start = reg - np.round(exp_years * 365.25).astype(np.int64)
    birth = reg - np.round(age * 365.25).astype(np.int64) - rng.integers(0, 365, n)

    fields, occ_field = field_index(occ)
    Qa = qualifications(rng, fields, level, detailed, occ_field)

    ins = _insurance(rng, n, sole, bd.ins[employer])
    verified = np.where((ins != PER_INS["unknown"]).any(axis=1),
                        np.minimum(reg + rng.integers(0, 21, n), first_day), NA)

    has_kc = (bd.kc != NA)[employer]
    kt_on = rng.random(n) < np.where(has_kc, 0.88, 0.3)
    kt_num = rng.integers(1_000_000_000, 9_999_999_999, n)
    kt_a = np.where(kt_on, kt_num, NA)

    name = draw_names(rng, n)
    name[sole] = bd.owner[employer[sole]]
    home = np.where(rng.random(n) < 0.85, pref_b[employer], choice_idx(rng, P.weights, n)).astype(np.int8)
    phone = draw_phones(rng, n)
    phone[rng.random(n) < 0.05, 0] = -1
    addr = draw_addresses(rng, n)
    addr[rng.random(n) < 0.03, 0] = -1

    # in-period updates: a level-up (with its qualifications), insurance verified, a 建退共 number, contact details
    created = created_stamp(rng, reg, cal)
    lo = np.maximum(reg, cal.d0) + 1
    upd = np.where(rng.random(n) < 0.15 * cal.days / 365, event_days(rng, lo, cal.end), NA)
    upd_kind = np.full(n, -1, dtype=np.int8)
    level_b, judged_b, Qb = level.copy(), judged.copy(), Qa.copy()
    ins_b, verified_b, kt_b = ins.copy(), verified.copy(), kt_a.copy()
    years_at_upd = (np.where(upd == NA, 0, upd) - exp_start) / 365.25
    next_level = np.minimum(level + 1, 4)
    can_up = detailed & (level < 4) & (years_at_upd >= ref.level_min_years()[next_level]) & (upd != NA)
    ups = can_up & (rng.random(n) < 0.2)
    upd_kind[ups] = 0
    level_b[ups] = next_level[ups]
    judged_b[ups] = np.maximum(np.where(upd == NA, 0, upd) - rng.integers(0, 8, n), reg)[ups]
    Qb[ups] |= qualifications(rng, fields, level_b, detailed, occ_field)[ups]
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
    phone_b[contact] = draw_phones(rng, n)[contact]
    addr_b[contact] = draw_addresses(rng, n)[contact]
    upd_at = update_stamps(rng, upd)
    quals_a, quals_b = qualification_lookups(Qa, Qb)
    del Qa, Qb

    nums = unique_ids(rng, n + 8)
    W = Workers(
        n=n, num=nums[:n], ids=id_strings(nums[:n]), spare_ids=id_strings(nums[n:]), employer=employer,
        occ=occ, reg=reg, detailed=detailed, level_a=level, level_b=level_b, judged_a=judged, judged_b=judged_b,
        quals_a=quals_a, quals_b=quals_b, exp_start=exp_start, birth=birth, ins_a=ins, ins_b=ins_b,
        verified_a=verified, verified_b=verified_b, kt_a=kt_a, kt_b=kt_b, name=name, home=home,
        phone_a=phone, phone_b=phone_b, addr_a=addr, addr_b=addr_b, created_at=created, upd_day=upd,
        upd_kind=upd_kind, upd_at=upd_at, touch_factor=touch_factor(rng.random(n), level),
        propensity=np.where(level >= 3, 0.0, rng.random(n)).astype(np.float32))
    return W, workers_per_b
