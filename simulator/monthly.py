"""The monthly feeds of a month's crews.

Wages: association members answering the survey (`wage_survey_share`): days worked from the
roster (± noise), pay from the national design unit price × occupation × prefecture × level
multiplier × personal factor, overtime pay from the hours, bonuses in July and December.

建退共: per site, business and worker of the month on public works with a 建退共 method, for
workers with a member number: mostly the work-history days; some businesses report roster days
(over the work history), under-report or never report; stamps from subcontractors with a stamp
exception and from a few without one (mixed method); amount = days × the daily rate.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

from simulator import reference as ref
from simulator.codes import KMETHOD, METHOD
from simulator.crews import Crews
from simulator.dates import NA, month_start
from simulator.draw import rng as stream
from simulator.population import World
from simulator.render import Lookup


def fiscal_year(month: np.ndarray) -> np.ndarray:
    """Japanese fiscal year (April-March) of months since 1970-01."""
    y, mo = 1970 + month // 12, month % 12 + 1
    return np.where(mo >= 4, y, y - 1)


def wage_data(w: World, K: Crews, acc: dict, m: int, first_day: dt.date) -> dict:
    B, W = w.B, w.W
    gen = stream(w.seed, "wages", m)
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
    noise = np.select([gen.random(n) < 0.85, gen.random(n) < 0.67], [0, gen.integers(-1, 2, n)],
                      gen.integers(-2, 3, n))
    days_worked = np.maximum(1, days + noise)
    price = ref.unit_price(int(fiscal_year(np.array([m]))[0]))
    indiv = np.clip(gen.normal(1.0, 0.12, n), 0.6, 1.4)
    emp = W.employer[sel]
    level = W.level_on(month_start(m), sel)
    daily = price * O.wage_factor[W.occ[sel]] * P.wage_factor[B.pref[emp]] * ref.LEVEL_MULTIPLIER[level] * indiv
    base = np.round(days_worked * daily * 0.82, -2)
    allowances = np.round(days_worked * daily * 0.06 + fdays * 1500, -2)
    ot_pay = np.round((ot * 1.25 + hol * 1.35) * daily / 8, -2)
    bonus = np.where(B.bonus[emp] & ((m % 12 + 1) in (7, 12)), np.round(daily * gen.uniform(10, 18, n), -3), 0)
    o = np.lexsort((sel, emp))
    as_int = lambda a: np.asarray(a, dtype=np.int64)[o]   # noqa: E731
    return {
        "year_month": pa.array([f"{first_day:%Y-%m}"] * n, pa.string()),
        "business_id": Lookup(emp[o], B.ids),
        "worker_id": Lookup(sel[o], W.ids),
        "days_worked": as_int(days_worked), "base_pay_yen": as_int(base), "allowances_yen": as_int(allowances),
        "overtime_pay_yen": as_int(ot_pay), "bonus_yen": as_int(bonus),
    }


def kentaikyo_data(w: World, K: Crews, acc: dict, m: int, first_day: dt.date) -> dict:
    B, W, S, C = w.B, w.W, w.S, w.C
    gen = stream(w.seed, "kentaikyo", m)
    covered = S.public & (S.method != METHOD["none"])
    has_no = (W.kt_a != NA) | (W.kt_b != NA)
    reg = np.flatnonzero(K.registered)
    e = reg[(acc["wh_days"][reg] > 0) & has_no[K.person[reg]] & covered[K.site[reg]]]
    key = K.site[e].astype(np.int64) * W.n + K.person[e]       # one row per (site, worker)
    ukey, kinv = np.unique(key, return_inverse=True)
    due = np.bincount(kinv, acc["wh_days"][e]).astype(np.int64)
    ro = np.maximum(np.bincount(kinv, acc["ro_days"][e]).astype(np.int64), due)
    site, sel = np.divmod(ukey, W.n)
    biz = W.employer[sel]
    n = len(sel)
    # behaviour per (site, business): accurate, reports roster days, under-reports, never reports
    pair = site.astype(np.int64) * B.n + biz
    upair, pinv = np.unique(pair, return_inverse=True)
    beh = np.searchsorted(np.cumsum([0.62, 0.20, 0.10, 0.08]), gen.random(len(upair)), side="right")[pinv]
    mixed = (gen.random(len(upair)) < 0.05)[pinv]
    days = np.select([beh == 0, beh == 1, beh == 2], [due, ro, np.floor(due * gen.uniform(0.5, 0.9, n)).astype(np.int64)], 0)
    days = np.where(gen.random(n) < 0.03, 0, days)       # a month's report not sent
    exc = C.stamp_exception
    exc_pairs = np.unique(C.site[exc].astype(np.int64) * B.n + C.biz[exc])
    exception = np.isin(pair, exc_pairs)
    method = np.where((S.method[site] == METHOD["electronic"]) & ~exception & ~mixed, KMETHOD["electronic"],
                      KMETHOD["stamp"])
    rate = ref.kentaikyo_daily_rate(first_day)
    keep = days > 0
    o = np.lexsort((sel[keep], biz[keep], site[keep]))
    pick = lambda a: np.asarray(a)[keep][o]   # noqa: E731
    k = int(keep.sum())
    return {
        "year_month": pa.array([f"{first_day:%Y-%m}"] * k, pa.string()),
        "site_id": Lookup(pick(site), S.ids),
        "business_id": Lookup(pick(biz), B.ids),
        "worker_id": Lookup(pick(sel), W.ids),
        "method": pick(method),
        "days_reported": pick(days),
        "amount_yen": pick(days) * rate,
    }
