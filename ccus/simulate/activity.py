"""The activity side: who is on which site each day (rosters), the work-history records the
card readers and apps produce (attendance), the monthly payroll survey (wages) and the 建退共
reports (kentaikyo). Vectorised: Python loops run over businesses and contracts, never over
roster or attendance rows.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ccus.feeds.contract import ATTENDANCE, KENTAIKYO, ROSTERS
from ccus.simulate import reference as ref
from ccus.simulate.params import ScaleParams
from ccus.simulate.population import (
    METHOD, NEVER, PER_INS, SOLE, Businesses, Calendar, Contracts, Sites, Workers, date_of, month_of,
    month_start, row_choice,
)
from ccus.simulate.render import NA, enum_codes

ROLE = enum_codes(ROSTERS, "role")
CHECK = enum_codes(ROSTERS, "insurance_check")
INPUT = enum_codes(ATTENDANCE, "input_method")
KMETHOD = enum_codes(KENTAIKYO, "method")


def _probs(mapping: dict[str, float], codes: dict[str, int]) -> np.ndarray:
    out = np.zeros(len(codes))
    for code, pr in mapping.items():
        out[codes[code]] = pr
    return out


# input-method mix with and without a card reader on site; lateness of each method
METHODS_WITH_READER = _probs({"card_reader": 0.70, "face_recognition": 0.10, "smartphone_app": 0.08,
                              "worker_direct": 0.04, "employer_proxy": 0.05, "api": 0.03}, INPUT)
METHODS_WITHOUT_READER = _probs({"face_recognition": 0.15, "smartphone_app": 0.42, "worker_direct": 0.15,
                                 "employer_proxy": 0.18, "api": 0.10}, INPUT)
LATE_FACTOR = _probs({"card_reader": 0.5, "face_recognition": 0.5, "smartphone_app": 1.0,
                      "worker_direct": 2.0, "employer_proxy": 4.0, "api": 1.5}, INPUT)


# --------------------------------------------------------------------------------------------
# persons: registered workers first, then persons without a CCUS id (P + digits)
# --------------------------------------------------------------------------------------------
@dataclass
class Persons:
    n: int
    n_workers: int
    registered: np.ndarray
    ref: pa.Array
    occ: np.ndarray
    ins: np.ndarray           # (n, 3)
    key: np.ndarray           # crew pool: business index, or B.n + contract index for an unregistered business
    avail: np.ndarray         # first day the person can be on a roster
    score: np.ndarray         # seniority, to pick foremen


def make_persons(p: ScaleParams, cal: Calendar, B: Businesses, W: Workers, C: Contracts, rng) -> Persons:
    n_reg_biz = np.where((B.kind == SOLE), B.employees_a,
                         rng.binomial(B.workers, np.clip(rng.normal(p.unregistered_person_share, 0.08, B.n), 0, 0.5)))
    n_reg_biz = np.where(B.dormant, 0, n_reg_biz)
    unreg_c = np.flatnonzero(C.biz < 0)
    n_unreg = 1 + rng.poisson(2.5, len(unreg_c))
    key_p = np.concatenate([np.repeat(np.arange(B.n), n_reg_biz), np.repeat(B.n + unreg_c, n_unreg)])
    np_ = len(key_p)
    nums = np.sort(rng.choice(80_000_000, size=np_, replace=False)) + 10_000_000
    nums = rng.permutation(nums)
    p_refs = pc.binary_join_element_wise("P", pa.array(nums).cast(pa.string()), "")
    O = ref.occupations()
    trade = np.where(key_p < B.n, B.trade[np.minimum(key_p, B.n - 1)], -1)
    rand_occ = np.searchsorted(np.cumsum(O.weights), rng.random(np_) * 0.999999)
    occ_p = np.where((trade >= 0) & (rng.random(np_) < 0.7), trade, rand_occ)
    ins_p = np.zeros((np_, 3), dtype=np.int64)
    u = rng.random(np_)
    ins_p[u > 0.90, 1:] = PER_INS["not_enrolled"]
    ins_p[u > 0.97] = PER_INS["unknown"]
    ins_p[(u <= 0.90) & (rng.random(np_) < 0.05), 2] = PER_INS["exempt"]

    n = W.n + np_
    exp_years = (cal.d0 - W.exp_start) / 365.25
    score_w = 100 + W.level_a * 10 + np.clip(exp_years, 0, 50) + rng.random(W.n)
    score_p = rng.random(np_) * 30
    return Persons(
        n=n, n_workers=W.n, registered=np.arange(n) < W.n,
        ref=pa.concat_arrays([W.ids, p_refs]),
        occ=np.concatenate([W.occ, occ_p]), ins=np.concatenate([W.ins_a, ins_p]),
        key=np.concatenate([W.employer, key_p]),
        avail=np.concatenate([W.reg, np.full(np_, -NEVER)]),
        score=np.concatenate([score_w, score_p]))


# --------------------------------------------------------------------------------------------
# engagements: a person on a contract's crew from a start day to the contract's end
# --------------------------------------------------------------------------------------------
@dataclass
class Engagements:
    n: int
    person: np.ndarray
    contract: np.ndarray
    site: np.ndarray
    start: np.ndarray
    end: np.ndarray
    role: np.ndarray          # ROLE index
    check: np.ndarray         # CHECK index
    ins: np.ndarray           # (n, 3) as checked at entry
    admitted: np.ndarray
    exit_offset: np.ndarray   # seconds, personal habit (foremen stay later)


def make_engagements(cal: Calendar, B: Businesses, S: Sites, C: Contracts, Pn: Persons, rng) -> Engagements:
    ckey = np.where(C.biz >= 0, C.biz, B.n + np.arange(C.n))
    active = (C.join <= cal.end) & (C.left >= cal.d0)
    cidx = np.flatnonzero(active)
    cidx = cidx[np.lexsort((cidx, C.join[cidx], ckey[cidx]))]
    porder = np.argsort(Pn.key, kind="stable")
    pkeys = Pn.key[porder]

    persons, contracts, starts = [], [], []
    bounds = np.flatnonzero(np.diff(ckey[cidx])) + 1
    for group in np.split(cidx, bounds):
        if not len(group):
            continue
        k = ckey[group[0]]
        lo, hi = np.searchsorted(pkeys, k, "left"), np.searchsorted(pkeys, k, "right")
        members = porder[lo:hi]
        if not len(members):
            continue
        free = Pn.avail[members].astype(np.int64).copy()
        tie = rng.random(len(members))
        for c in group.tolist():
            frac = rng.uniform(0.15, 0.4) if C.tier[c] == 0 else rng.uniform(0.35, 0.9)
            size = max(1, int(round(frac * len(members))))
            st = np.maximum(free, C.join[c])
            cand = np.flatnonzero(st <= max(C.left[c] - 2, C.join[c]))
            if not len(cand):
                continue
            sel = cand[np.lexsort((tie[cand], st[cand]))][:size]
            persons.append(members[sel])
            contracts.append(np.full(len(sel), c))
            starts.append(st[sel])
            free[sel] = C.left[c] + 1 + rng.integers(0, 4, len(sel))
    person = np.concatenate(persons) if persons else np.zeros(0, np.int64)
    contract = np.concatenate(contracts) if contracts else np.zeros(0, np.int64)
    start = np.concatenate(starts) if starts else np.zeros(0, np.int64)
    n = len(person)
    site = C.site[contract]
    end = C.left[contract].copy()

    # roles: per crew, the most senior is the foreman (職長), one subforeman (班長) per 5 more
    order = np.lexsort((-Pn.score[person], contract))
    sorted_c = contract[order]
    first = np.r_[0, np.flatnonzero(np.diff(sorted_c)) + 1]
    sizes = np.diff(np.r_[first, n])
    rank = np.arange(n) - np.repeat(first, sizes)
    size_of = np.repeat(sizes, sizes)
    role_sorted = np.where(rank == 0, ROLE["foreman"],
                           np.where(rank <= (size_of - 1) // 5, ROLE["subforeman"], ROLE["general"]))
    role = np.empty(n, dtype=np.int64)
    role[order] = role_sorted

    # insurance check at entry and admission
    reg = Pn.registered[person]
    check = np.where(reg, row_choice(rng, S.check_probs[site]),
                     np.where(rng.random(n) < 0.94, CHECK["document"], CHECK["none"]))
    ins = np.where((check == CHECK["none"])[:, None], PER_INS["unknown"], Pn.ins[person])
    violation = ((ins == PER_INS["not_enrolled"]) | (ins == PER_INS["unknown"])).any(axis=1)
    admitted = ~(violation & S.strict[site] & (rng.random(n) < 0.8))
    end = np.where(admitted, end, start)            # refused at the gate: one roster day
    exit_offset = rng.normal(0, 900, n) + 1500 * (role == ROLE["foreman"])
    return Engagements(n, person, contract, site, start, end, role, check, ins, admitted, exit_offset)


# --------------------------------------------------------------------------------------------
# rosters
# --------------------------------------------------------------------------------------------
def site_calendar(cal: Calendar, S: Sites, rng) -> np.ndarray:
    """open[site, period day]: the site works that day."""
    period = cal.period
    sat = (cal.dow == 5) & ~cal.holiday
    sun = cal.dow == 6
    hol = cal.holiday & ~sun
    p = np.full((S.n, cal.days), 0.97)
    p[:, sat] = S.sat_open[:, None]
    p[:, sun] = S.sun_open[:, None]
    p[:, hol] = S.hol_open[:, None]
    p[:, cal.year_end_obon] = 0.0
    inside = (period[None, :] >= S.start[:, None]) & (period[None, :] <= S.end[:, None])
    return inside & (rng.random((S.n, cal.days)) < p)


@dataclass
class Roster:
    n: int
    eng: np.ndarray
    day: np.ndarray


def make_roster(p: ScaleParams, cal: Calendar, E: Engagements, open_: np.ndarray, rng) -> Roster:
    s = np.maximum(E.start, cal.d0)
    e = np.minimum(E.end, cal.end)
    e = np.minimum(np.where(E.admitted, e, np.where(E.start >= cal.d0, s, s - 1)), cal.end)
    length = np.clip(e - s + 1, 0, None)
    total = int(length.sum())
    rep = np.repeat(np.arange(E.n), length)
    offs = np.cumsum(length) - length
    day = s[rep] + (np.arange(total) - offs[rep])
    di = day - cal.d0
    saturday = cal.dow[di] == 5
    present = rng.random(total) >= p.absence_rate + 0.15 * saturday
    # a person refused at the gate is listed on that day even if he would have been off
    keep = open_[E.site[rep], di] & (present | ~E.admitted[rep])
    rep, day = rep[keep], day[keep]
    order = np.lexsort((E.person[rep], E.role[rep], E.contract[rep], E.site[rep], day))
    return Roster(len(order), rep[order], day[order])


# --------------------------------------------------------------------------------------------
# attendance (work history)
# --------------------------------------------------------------------------------------------
@dataclass
class Attendance:
    n: int
    site: np.ndarray
    worker: np.ndarray
    employer: np.ndarray
    day: np.ndarray
    entered: np.ndarray       # seconds, Japan wall clock
    exited: np.ndarray        # NA = no exit recorded
    role: np.ndarray
    occ: np.ndarray
    method: np.ndarray
    device: pa.Array          # strings, null = empty
    recv: np.ndarray          # received_at seconds
    record_id: pa.Array


@dataclass
class Hours:
    """Actual working times of every registered, admitted roster day (for wages)."""
    worker: np.ndarray
    site: np.ndarray
    day: np.ndarray
    entered: np.ndarray
    exited: np.ndarray
    role: np.ndarray


def _device_strings(method: np.ndarray, site: np.ndarray, worker: np.ndarray, S: Sites, rng) -> pa.Array:
    unit = rng.integers(1, 3, len(method))
    payload = np.select(
        [method == INPUT["card_reader"], method == INPUT["face_recognition"], method == INPUT["smartphone_app"],
         method == INPUT["api"]],
        [site * 10 + unit, site * 10, (worker * 2654435761) % (1 << 32), site % 4 + 1], default=0)
    key = method.astype(np.int64) * (1 << 40) + payload
    uniq, inv = np.unique(key, return_inverse=True)
    sid = S.ids.to_pylist()
    out = []
    for k in uniq.tolist():
        m, v = divmod(k, 1 << 40)
        if m == INPUT["card_reader"]:
            out.append(f"CR-{sid[v // 10][-6:]}-{v % 10:02d}")
        elif m == INPUT["face_recognition"]:
            out.append(f"FR-{sid[v // 10][-6:]}")
        elif m == INPUT["smartphone_app"]:
            out.append(f"SP-{v:08x}")
        elif m == INPUT["api"]:
            out.append(f"API-VENDOR{v}")
        else:
            out.append(None)
    table = pa.array(out, pa.string())
    return table.take(pa.array(inv))


def input_methods(rng, reader_on: np.ndarray) -> np.ndarray:
    """The input method of each record: mostly card readers where the site has one, else by hand
    or app (both engines draw it the same way)."""
    u = rng.random(len(reader_on))
    method = np.where(reader_on, np.searchsorted(np.cumsum(METHODS_WITH_READER), u, side="right"),
                      np.searchsorted(np.cumsum(METHODS_WITHOUT_READER), u, side="right"))
    return np.minimum(method, len(INPUT) - 1)


def duplicate_touches(rng, entered: np.ndarray, exited: np.ndarray, share: float):
    """Second touches for a share of the records: a double touch at the gate, or out at lunch and
    back in (then the first touch's exit moves before the second entry: `exited` changes in
    place). Returns the records touched twice and their second entries and exits."""
    dup = np.flatnonzero(rng.random(len(entered)) < share)
    gate = rng.random(len(dup)) < 0.5
    d_entered = np.where(gate, entered[dup] + rng.integers(5, 180, len(dup)),
                         entered[dup] + rng.integers(3 * 3600, 4 * 3600 + 1800, len(dup)))
    d_exited = exited[dup].copy()
    back = ~gate & (d_exited != NA) & (d_entered < d_exited - 1800)
    exited[dup[back]] = d_entered[back] - rng.integers(1200, 3600, int(back.sum()))
    d_entered = np.where(~gate & ~back, entered[dup] + 90, d_entered)
    return dup, d_entered, d_exited


def make_attendance(p: ScaleParams, cal: Calendar, W: Workers, S: Sites, C: Contracts, Pn: Persons,
                    E: Engagements, R: Roster, rng) -> tuple[Attendance, Hours]:
    eng = R.eng
    person = E.person[eng]
    worked = Pn.registered[person] & E.admitted[eng]
    ri = np.flatnonzero(worked)
    eng, day = eng[ri], R.day[ri]
    worker = E.person[eng]
    site = E.site[eng]
    n = len(ri)
    saturday = cal.dow[day - cal.d0] == 5

    entry_sod = np.clip(S.entry_mean[site] + rng.normal(0, 600, n), 7 * 3600, 8 * 3600 + 59 * 60).astype(np.int64)
    exit_sod = S.exit_mean[site] + E.exit_offset[eng] + rng.normal(0, 1200, n) - 3600 * saturday
    exit_sod = np.clip(exit_sod, 16 * 3600 + 30 * 60, S.exit_cap[site]).astype(np.int64)
    entered = day * 86400 + entry_sod
    exited = day * 86400 + exit_sod
    hours = Hours(worker, site, day, entered, exited, E.role[eng])

    touched = rng.random(n) < np.minimum(S.touch[site] * W.touch_factor[worker], 0.99)
    t = np.flatnonzero(touched)
    eng, day, worker, site = eng[t], day[t], worker[t], site[t]
    entered, exited = entered[t], exited[t].copy()
    m = len(t)
    exited[rng.random(m) < p.missing_exit_share] = NA
    reader_on = S.reader_from[site] <= day
    method = input_methods(rng, reader_on)
    role = E.role[eng]
    occ = Pn.occ[worker]
    dup, d_entered, d_exited = duplicate_touches(rng, entered, exited, p.duplicate_touch_share)

    # work-history records with no roster row: a colleague from the same employer touches in
    nr = np.flatnonzero(rng.random(m) < p.no_roster_share)
    emp = W.employer[worker[nr]]
    first = np.searchsorted(W.employer, emp, "left")
    count = np.searchsorted(W.employer, emp, "right") - first
    other = first + np.floor(rng.random(len(nr)) * count).astype(np.int64)
    roster_keys = (E.person[R.eng].astype(np.int64) * S.n + E.site[R.eng]) * cal.days + (R.day - cal.d0)
    new_keys = (other * S.n + site[nr]) * cal.days + (day[nr] - cal.d0)
    ok = (other != worker[nr]) & (W.reg[other] <= day[nr]) & ~np.isin(new_keys, roster_keys)
    nr, other = nr[ok], other[ok]

    a_site = np.concatenate([site, site[dup], site[nr]])
    a_worker = np.concatenate([worker, worker[dup], other])
    a_day = np.concatenate([day, day[dup], day[nr]])
    a_entered = np.concatenate([entered, d_entered, entered[nr] + rng.integers(-300, 300, len(nr))])
    a_exited = np.concatenate([exited, d_exited, exited[nr]])
    a_role = np.concatenate([role, role[dup], np.full(len(nr), ROLE["general"])])
    a_occ = np.concatenate([occ, occ[dup], W.occ[other]])
    a_method = np.concatenate([method, method[dup], method[nr]])
    k = len(a_site)

    # reception: most the same day after the exit, some 1-10 days late
    late = rng.random(k) < p.late_share * LATE_FACTOR[a_method]
    delay = 1 + np.minimum(rng.geometric(0.3, k) - 1, 9)
    recv_day = np.minimum(a_day + np.where(late, delay, 0), cal.end)
    base = np.where(a_exited != NA, a_exited, a_entered + 4 * 3600)
    same = base + rng.integers(60, 5400, k)
    same = np.minimum(same, a_day * 86400 + 86399)
    later = recv_day * 86400 + rng.integers(6 * 3600, 23 * 3600, k)
    recv = np.where(recv_day > a_day, later, same)
    n_main = len(site)
    dup_pos = np.arange(n_main, n_main + len(dup))
    recv[dup_pos] = np.minimum(np.maximum(recv[dup], recv[dup_pos]) + rng.integers(1, 60, len(dup)),
                               recv_day[dup_pos] * 86400 + 86399)

    order = np.lexsort((a_worker, a_site, recv))
    rid = 100_000_000_000 + np.cumsum(rng.integers(1, 8, k))
    record_id = pc.binary_join_element_wise("WH", pc.utf8_lpad(pa.array(rid).cast(pa.string()), 12, "0"), "")
    device = _device_strings(a_method[order], a_site[order], a_worker[order], S, rng)
    att = Attendance(
        n=k, site=a_site[order], worker=a_worker[order], employer=W.employer[a_worker[order]],
        day=a_day[order], entered=a_entered[order], exited=a_exited[order], role=a_role[order],
        occ=a_occ[order], method=a_method[order], device=device, recv=recv[order], record_id=record_id)
    return att, hours


# --------------------------------------------------------------------------------------------
# wages (monthly payroll survey of association members)
# --------------------------------------------------------------------------------------------
@dataclass
class Wages:
    n: int
    month: np.ndarray
    business: np.ndarray
    worker: np.ndarray
    days: np.ndarray
    base: np.ndarray
    allowances: np.ndarray
    overtime: np.ndarray
    bonus: np.ndarray


def _work_hours(entered: np.ndarray, exited: np.ndarray) -> np.ndarray:
    on_site = (exited - entered) / 3600.0
    brk = np.where(on_site > 8, 1.0, np.where(on_site > 6, 0.75, 0.0))
    return on_site - brk


def fiscal_year(month: np.ndarray) -> np.ndarray:
    y, mo = 1970 + month // 12, month % 12 + 1
    return np.where(mo >= 4, y, y - 1)


def make_wages(p: ScaleParams, cal: Calendar, B: Businesses, W: Workers, H: Hours, rng) -> Wages:
    O, P = ref.occupations(), ref.prefectures()
    member = np.array([bool(a) or bool(b) for a, b in zip(B.assoc_a, B.assoc_b)]) & B.survey
    keep = member[W.employer[H.worker]]
    worker, day = H.worker[keep], H.day[keep]
    month = month_of(day)
    m0 = int(month.min()) if len(month) else 0
    key = worker.astype(np.int64) * 1000 + (month - m0)
    hours = _work_hours(H.entered[keep], H.exited[keep])
    holiday_day = np.isin(day - cal.d0, np.flatnonzero((cal.dow == 6) | cal.holiday))
    overtime = np.where(holiday_day, 0.0, np.maximum(0.0, hours - 8))
    hol_hours = np.where(holiday_day, hours, 0.0)
    foreman = (H.role[keep] == ROLE["foreman"]).astype(np.int64)
    uniq, inv, days = np.unique(key, return_inverse=True, return_counts=True)
    ot = np.bincount(inv, overtime)
    hol = np.bincount(inv, hol_hours)
    fdays = np.bincount(inv, foreman)
    w = uniq // 1000
    mon = uniq % 1000 + m0
    emp = W.employer[w]
    n = len(uniq)

    noise = np.select([rng.random(n) < 0.85, rng.random(n) < 0.67], [0, rng.integers(-1, 2, n)], rng.integers(-2, 3, n))
    days_worked = np.maximum(1, days + noise)
    fy = fiscal_year(mon)
    price = np.array([ref.unit_price(int(y)) for y in np.unique(fy)])[np.searchsorted(np.unique(fy), fy)]
    indiv = np.clip(rng.normal(1.0, 0.12, W.n), 0.6, 1.4)
    level = W.level_on(np.array([month_start(int(x)) for x in mon]) if n else np.zeros(0, np.int64), w)
    daily = price * O.wage_factor[W.occ[w]] * P.wage_factor[B.pref[emp]] * ref.LEVEL_MULTIPLIER[level] * indiv[w]
    base = np.round(days_worked * daily * 0.82, -2)
    allowances = np.round(days_worked * daily * 0.06 + fdays * 1500, -2)
    ot_pay = np.round((ot * 1.25 + hol * 1.35) * daily / 8, -2)
    calendar_month = mon % 12 + 1
    bonus = np.where(B.bonus[emp] & np.isin(calendar_month, (7, 12)), np.round(daily * rng.uniform(10, 18, n), -3), 0)
    order = np.lexsort((w, emp, mon))
    as_int = lambda a: np.asarray(a, dtype=np.int64)[order]   # noqa: E731
    return Wages(n, as_int(mon), as_int(emp), as_int(w), as_int(days_worked), as_int(base), as_int(allowances),
                 as_int(ot_pay), as_int(bonus))


# --------------------------------------------------------------------------------------------
# kentaikyo (建退共 contribution reports)
# --------------------------------------------------------------------------------------------
@dataclass
class Kentaikyo:
    n: int
    month: np.ndarray
    site: np.ndarray
    business: np.ndarray
    worker: np.ndarray
    method: np.ndarray        # KMETHOD index
    days: np.ndarray
    amount: np.ndarray


def make_kentaikyo(cal: Calendar, B: Businesses, W: Workers, S: Sites, C: Contracts, H: Hours,
                   A: Attendance, rng) -> Kentaikyo:
    has_no = np.array([a is not None or b is not None for a, b in zip(W.kt_a, W.kt_b)])
    covered = S.public & (S.method != METHOD["none"])
    D = cal.days
    m0 = int(month_of(np.array([cal.d0]))[0])
    M = int(month_of(np.array([cal.end]))[0]) - m0 + 1

    def counts(site, worker, day):
        keep = covered[site] & has_no[worker]
        k = (site[keep].astype(np.int64) * W.n + worker[keep]) * D + (day[keep] - cal.d0)
        k = np.unique(k)      # distinct (site, worker, day)
        sw, d = np.divmod(k, D)
        g = sw * M + (month_of(d + cal.d0) - m0)
        return np.unique(g, return_counts=True)

    wh_keys, wh_days = counts(A.site, A.worker, A.day)
    # roster days of the same workers (what a business reporting from its own daily reports sends)
    ro_keys, ro_days = counts(H.site, H.worker, H.day)
    days_due = wh_days
    ro_on_wh = np.zeros(len(wh_keys), np.int64)
    pos = np.searchsorted(ro_keys, wh_keys)
    hit = (pos < len(ro_keys)) & (ro_keys[np.minimum(pos, len(ro_keys) - 1)] == wh_keys)
    ro_on_wh[hit] = ro_days[pos[hit]]
    ro_on_wh = np.maximum(ro_on_wh, days_due)

    sw, mrel = np.divmod(wh_keys, M)
    site, worker = np.divmod(sw, W.n)
    biz = W.employer[worker]
    mon = mrel + m0
    n = len(wh_keys)

    # behaviour per (site, business): accurate, reports roster days, under-reports, never reports
    pair = site * B.n + biz
    upair, pinv = np.unique(pair, return_inverse=True)
    beh = np.searchsorted(np.cumsum([0.62, 0.20, 0.10, 0.08]), rng.random(len(upair)), side="right")[pinv]
    mixed = (rng.random(len(upair)) < 0.05)[pinv]
    days = np.select([beh == 0, beh == 1, beh == 2],
                     [days_due, ro_on_wh, np.floor(days_due * rng.uniform(0.5, 0.9, n)).astype(np.int64)], 0)
    days = np.where(rng.random(n) < 0.03, 0, days)    # a month's report not sent
    # method: the project's, stamps for a subcontractor with a stamp exception, and some mixing
    exc_pairs = np.unique(C.site[C.stamp_exception].astype(np.int64) * B.n + C.biz[C.stamp_exception])
    exception = np.isin(pair, exc_pairs)
    electronic_site = S.method[site] == METHOD["electronic"]
    method = np.where(electronic_site & ~exception & ~mixed, KMETHOD["electronic"], KMETHOD["stamp"])
    umon = np.unique(mon)
    rates = np.array([ref.kentaikyo_daily_rate(date_of(month_start(int(x)))) for x in umon], dtype=np.int64)
    rate = rates[np.searchsorted(umon, mon)] if n else np.zeros(0, np.int64)
    keep = days > 0
    order = np.lexsort((worker[keep], biz[keep], site[keep], mon[keep]))
    sel = lambda a: np.asarray(a)[keep][order]   # noqa: E731
    return Kentaikyo(int(keep.sum()), sel(mon), sel(site), sel(biz), sel(worker), sel(method), sel(days),
                     sel(days * rate))
