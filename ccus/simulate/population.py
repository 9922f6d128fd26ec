"""The registry side of the simulated world: businesses, workers, sites and the construction
system of each site (site contracts). Arrays, one element per entity; days are integers (days
since 1970-01-01), timestamps seconds since 1970-01-01 on the Japan wall clock.

Registry entities have a first state (state a) and at most one in-period update (state b, the
same arrays with the changed values); the delivery code decides which state a row shows.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import holidays as holidays_lib
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ccus.feeds.contract import BUSINESSES, SITES, WORKERS
from ccus.simulate import reference as ref
from ccus.simulate.params import ScaleParams
from ccus.simulate.render import NA, Lookup, enum_codes

EPOCH = dt.date(1970, 1, 1)
LAUNCH = int(np.datetime64("2019-04-01", "D").astype(np.int64))

BUS_INS = enum_codes(BUSINESSES, "health_insurance")     # enrolled, not_enrolled, exempt
PER_INS = enum_codes(WORKERS, "health_insurance")        # + unknown
REG_TYPE = enum_codes(WORKERS, "registration_type")
ORDERER = enum_codes(SITES, "orderer_type")
MODEL = enum_codes(SITES, "model_project_type")
METHOD = enum_codes(SITES, "kentaikyo_method")
TWO_DAYS = enum_codes(SITES, "two_days_off_type")

GENERAL, SPECIALTY, SOLE = 0, 1, 2


def day_of(d: dt.date) -> int:
    return (d - EPOCH).days


def date_of(day: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(day))


def month_of(days: np.ndarray) -> np.ndarray:
    """Months since 1970-01 of day numbers."""
    return np.asarray(days, dtype=np.int64).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)


def month_start(month: int) -> int:
    return int(np.datetime64(int(month), "M").astype("datetime64[D]").astype(np.int64))


# --------------------------------------------------------------------------------------------
# calendar
# --------------------------------------------------------------------------------------------
@dataclass
class Calendar:
    d0: int
    days: int
    deliveries: np.ndarray     # registry delivery days: the start, the 1st of each later month, the last day
    dow: np.ndarray            # per period day, 0 = Monday
    holiday: np.ndarray        # national holiday (holidays library)
    year_end_obon: np.ndarray  # 29 Dec - 3 Jan and 13-15 Aug

    @property
    def end(self) -> int:
        return self.d0 + self.days - 1

    @property
    def period(self) -> np.ndarray:
        return np.arange(self.d0, self.d0 + self.days)


def make_calendar(start: dt.date, days: int) -> Calendar:
    d0 = day_of(start)
    period = np.arange(d0, d0 + days)
    dates = [date_of(d) for d in (period[0], period[-1])]
    jp = holidays_lib.country_holidays("JP", years=range(dates[0].year, dates[1].year + 1))
    hol_days = np.array(sorted(day_of(d) for d in jp.keys()), dtype=np.int64)
    holiday = np.isin(period, hol_days)
    md = period.astype("datetime64[D]")
    month = (md.astype("datetime64[M]").astype(np.int64) % 12) + 1
    dom = (md - md.astype("datetime64[M]")).astype(np.int64) + 1
    year_end_obon = ((month == 12) & (dom >= 29)) | ((month == 1) & (dom <= 3)) | ((month == 8) & (dom >= 13) & (dom <= 15))
    firsts = [month_start(m) for m in range(int(month_of(period[:1])[0]) + 1, int(month_of(period[-1:])[0]) + 1)]
    deliveries = np.unique(np.array([d0, *[f for f in firsts if d0 < f <= period[-1]], period[-1]], dtype=np.int64))
    return Calendar(d0, days, deliveries, (period + 3) % 7, holiday, year_end_obon)


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------
def unique_ids(rng: np.random.Generator, n: int, zero_share: float = 0.5) -> np.ndarray:
    """n distinct 14-digit numbers; about `zero_share` of them start with 0."""
    out = np.empty(0, dtype=np.int64)
    while len(out) < n:
        m = n - len(out) + n // 8 + 16
        first = np.where(rng.random(m) < zero_share, 0, rng.integers(1, 10, m))
        v = first * 10 ** 13 + rng.integers(0, 10 ** 13, m)
        v = np.concatenate([out, v])
        _, idx = np.unique(v, return_index=True)
        out = v[np.sort(idx)]
    return out[:n]


def id_strings(nums: np.ndarray) -> pa.Array:
    return pc.utf8_lpad(pa.array(np.asarray(nums, dtype=np.int64)).cast(pa.string()), 14, "0")


def sample_registration(rng, n: int, end_day: int, column: int) -> np.ndarray:
    """Registration days following the published national curve (column 1 workers, 2 businesses)
    up to `end_day`: the population registered by the end of the period, with its history."""
    curve = ref.registration_curve()
    days, cum = curve[0].astype(float), curve[column]
    if end_day <= LAUNCH + 30:
        return rng.integers(end_day - 365, end_day + 1, n)
    if end_day > days[-1]:
        slope = (cum[-1] - cum[-2]) / (days[-1] - days[-2])
        total = cum[-1] + slope * (end_day - days[-1])
    else:
        total = float(np.interp(end_day, days, cum))
    keep = days < end_day
    xd = np.append(days[keep], end_day)
    xc = np.append(cum[keep], total)
    u = rng.random(n) * total
    return np.floor(np.interp(u, xc, xd)).astype(np.int64).clip(LAUNCH, end_day)


def choice_idx(rng, probs: np.ndarray, n: int) -> np.ndarray:
    """n draws of an index with the given probabilities (vectorised inverse CDF)."""
    cum = np.cumsum(probs / probs.sum())
    return np.minimum(np.searchsorted(cum, rng.random(n), side="right"), len(probs) - 1)


def row_choice(rng, probs: np.ndarray) -> np.ndarray:
    """One draw per row of a (rows, k) probability matrix."""
    cum = np.cumsum(probs / probs.sum(axis=1, keepdims=True), axis=1)
    u = rng.random(len(probs))[:, None]
    return np.minimum((u > cum).sum(axis=1), probs.shape[1] - 1)


def first_delivery(cal: Calendar, days: np.ndarray) -> np.ndarray:
    """Index of the first registry delivery on or after each day."""
    return np.searchsorted(cal.deliveries, days, side="left")


def created_stamp(rng, reg: np.ndarray, cal: Calendar) -> np.ndarray:
    """updated_at of an entity's first row: some time after registration, no later than the
    day of the delivery that carries it."""
    k = first_delivery(cal, reg)
    limit = cal.deliveries[np.minimum(k, len(cal.deliveries) - 1)]
    span = np.minimum(limit - reg, 45)
    day = reg + np.floor(rng.random(len(reg)) * (span + 1)).astype(np.int64)
    return day * 86400 + rng.integers(8 * 3600, 20 * 3600, len(reg))


def event_days(rng, lo: np.ndarray, hi: int) -> np.ndarray:
    """A day in [lo, hi] (NA where empty)."""
    lo = np.asarray(lo, dtype=np.int64)
    span = hi - lo
    out = lo + np.floor(rng.random(len(lo)) * (span + 1)).astype(np.int64)
    return np.where(span >= 0, out, NA)


def fake_names(rng, n: int) -> list[str]:
    s = rng.integers(0, len(ref.SURNAMES), n)
    female = rng.random(n) < 0.03
    gm = rng.integers(0, len(ref.GIVEN_MALE), n)
    gf = rng.integers(0, len(ref.GIVEN_FEMALE), n)
    return [f"{ref.SURNAMES[a]} {ref.GIVEN_FEMALE[c] if f else ref.GIVEN_MALE[b]}"
            for a, b, c, f in zip(s.tolist(), gm.tolist(), gf.tolist(), female.tolist())]


def fake_phones(rng, n: int) -> list[str]:
    pre = np.array(["090", "080", "070"])[rng.integers(0, 3, n)]
    a, b = rng.integers(0, 10000, n), rng.integers(0, 10000, n)
    return [f"{p}-{x:04d}-{y:04d}" for p, x, y in zip(pre.tolist(), a.tolist(), b.tolist())]


def fake_addresses(rng, pref: np.ndarray) -> list[str]:
    P = ref.prefectures()
    n = len(pref)
    town = rng.integers(0, len(ref.TOWNS), n)
    a, b, c_ = rng.integers(1, 6, n), rng.integers(1, 30, n), rng.integers(1, 20, n)
    return [f"{P.names[p]}{P.capitals[p]}{ref.TOWNS[t]}{x}-{y}-{z}"
            for p, t, x, y, z in zip(pref.tolist(), town.tolist(), a.tolist(), b.tolist(), c_.tolist())]


# --------------------------------------------------------------------------------------------
# businesses
# --------------------------------------------------------------------------------------------
@dataclass
class Businesses:
    n: int
    ids: pa.Array
    spare_ids: pa.Array          # unused ids (for deliberately bad rows)
    kind: np.ndarray             # GENERAL / SPECIALTY / SOLE
    dormant: np.ndarray
    pref: np.ndarray             # 0..46
    trade: np.ndarray            # occupation index
    reg: np.ndarray
    capital: np.ndarray          # NA = empty
    employees_a: np.ndarray
    employees_b: np.ndarray
    assoc_a: list
    assoc_b: list
    ins_a: np.ndarray            # (n, 3)
    ins_b: np.ndarray
    withdrawn_b: np.ndarray
    kc_no: list
    name: list
    owner_name: list             # sole proprietors: the proprietor (also a worker)
    survey: np.ndarray           # answers the payroll survey (association members only)
    bonus: np.ndarray            # pays bonuses in July and December
    workers: np.ndarray          # registered workers employed
    created_at: np.ndarray
    upd_day: np.ndarray          # NA = no in-period update
    upd_at: np.ndarray


def make_businesses(p: ScaleParams, cal: Calendar, rng) -> Businesses:
    O, P = ref.occupations(), ref.prefectures()
    n = p.businesses
    n_sole = int(round(n * p.sole_proprietor_share))
    n_comp = n - n_sole
    n_gen = max(2 if n_comp >= 4 else 1, int(round(n_comp * p.general_contractor_share)))
    n_dorm = min(int(round((n_comp - n_gen) * p.dormant_business_share)), max(0, n_comp - n_gen - 1))
    kind = np.array([GENERAL] * n_gen + [SPECIALTY] * (n_comp - n_gen) + [SOLE] * n_sole, dtype=np.int8)
    dormant = np.zeros(n, bool)
    dormant[n_comp - n_dorm:n_comp] = True

    nums = unique_ids(rng, n + 8)
    ids, spare = id_strings(nums[:n]), id_strings(nums[n:])
    pref = choice_idx(rng, P.weights, n)
    gen_trades = np.array([O.codes.index(t) for t in ref.GENERAL_TRADES])
    trade = choice_idx(rng, O.weights, n)
    trade[kind == GENERAL] = gen_trades[choice_idx(rng, np.array([0.4, 0.2, 0.3, 0.1]), int((kind == GENERAL).sum()))]
    reg = sample_registration(rng, n, cal.end, 2)
    # a possible prime is registered before the period, so the first sites have one
    reg[kind == GENERAL] = np.minimum(reg[kind == GENERAL], cal.d0 - rng.integers(30, 1500, int((kind == GENERAL).sum())))
    reg = np.maximum(reg, LAUNCH)

    capital = np.full(n, NA, dtype=np.int64)
    exp = np.where(kind == GENERAL, rng.uniform(7, 10.3, n), rng.uniform(6, 8.2, n))
    cap = (np.round(10 ** exp / 1e6) * 1e6).astype(np.int64)
    has_cap = (kind != SOLE) & (rng.random(n) > 0.08)
    capital[has_cap] = cap[has_cap]

    # associations
    trade_assoc = {}
    for a_i, a in enumerate(ref.ASSOCIATIONS):
        for t in a.trades:
            if t in O.codes:
                trade_assoc.setdefault(O.codes.index(t), a_i)
    codes = ref.ASSOCIATION_CODES
    i_zenken, i_nikkenren = codes.index("ZENKEN"), codes.index("NIKKENREN")
    u1, u2, u3 = rng.random(n), rng.random(n), rng.random(n)
    extra = rng.integers(2, len(codes), n)
    assoc_sets = []
    for i in range(n):
        s = set()
        if dormant[i]:
            pass
        elif kind[i] == GENERAL:
            if u1[i] < 0.7:
                s.add(i_zenken)
            if capital[i] != NA and capital[i] >= 1_000_000_000 and u2[i] < 0.8:
                s.add(i_nikkenren)
        else:
            t = trade_assoc.get(int(trade[i]))
            if t is not None and u1[i] < (0.65 if kind[i] == SPECIALTY else 0.2):
                s.add(t)
                if u2[i] < 0.06:
                    s.add(int(extra[i]))
            elif kind[i] == SPECIALTY and u3[i] < 0.12:
                s.add(i_zenken)
        assoc_sets.append(s)
    assoc_a = [";".join(codes[j] for j in sorted(s)) for s in assoc_sets]

    # business-level insurance
    ins = np.zeros((n, 3), dtype=np.int64)
    u = rng.random((n, 3))
    comp = kind != SOLE
    ins[comp & (u[:, 0] > 0.97)] = BUS_INS["not_enrolled"]
    small = comp & (rng.random(n) < 0.05)
    ins[small, 0] = BUS_INS["exempt"]
    ins[small, 1] = BUS_INS["exempt"]
    ins[comp & (u[:, 2] > 0.98), 2] = BUS_INS["not_enrolled"]
    sole = kind == SOLE
    ins[sole, 0] = np.where(u[sole, 0] < 0.85, BUS_INS["exempt"], BUS_INS["enrolled"])
    ins[sole, 1] = np.where(u[sole, 1] < 0.85, BUS_INS["exempt"], BUS_INS["enrolled"])
    ins[sole, 2] = np.where(u[sole, 2] < 0.95, BUS_INS["exempt"], BUS_INS["not_enrolled"])

    has_kc = rng.random(n) < np.where(sole, 0.35, 0.8)
    kc = rng.integers(1_000_000, 9_999_999, n)
    kc_no = [f"{P.codes[pf]:02d}{k:07d}" if h else None for pf, k, h in zip(pref.tolist(), kc.tolist(), has_kc.tolist())]

    owner = fake_names(rng, n)
    stems = rng.integers(0, len(ref.COMPANY_STEMS), n)
    form = rng.random(n)
    surname_trade = rng.random(n) < 0.4
    names = []
    for i in range(n):
        suffix = ref.TRADE_SUFFIX.get(O.codes[trade[i]], "工業")
        if kind[i] == SOLE:
            names.append(f"{owner[i].split(' ')[0]}{suffix} {owner[i]}" if surname_trade[i] else owner[i])
        else:
            stem = ref.COMPANY_STEMS[stems[i]]
            if form[i] < 0.5:
                names.append(f"株式会社{stem}{suffix}")
            elif form[i] < 0.75:
                names.append(f"{stem}{suffix}株式会社")
            else:
                names.append(f"有限会社{stem}{suffix}")

    # registered workers per business: sole proprietors 1 (themselves), dormant 0, others >= 1
    workers = np.zeros(n, dtype=np.int64)
    workers[sole] = 1
    active = (kind != SOLE) & ~dormant
    rest = max(0, p.workers - n_sole - int(active.sum()))
    w = rng.lognormal(0.0, 1.1, n) * np.where(kind == GENERAL, 0.6, 1.0) * active
    if active.any():
        workers[active] = 1 + rng.multinomial(rest, w[active] / w[active].sum())
    employees = np.where(sole, (rng.random(n) < 0.3).astype(np.int64),
                         np.floor(workers * rng.uniform(1.0, 1.6, n)).astype(np.int64) + rng.integers(0, 4, n))

    # in-period updates: employee count, a new association, insurance enrolment; withdrawals of dormant ones
    created = created_stamp(rng, reg, cal)
    frac = cal.days / 365
    lo = np.maximum(reg, cal.d0) + 1
    upd = np.where((rng.random(n) < 0.12 * frac) | (dormant & (rng.random(n) < 0.3 * frac)), event_days(rng, lo, cal.end), NA)
    employees_b, assoc_b, ins_b = employees.copy(), list(assoc_a), ins.copy()
    withdrawn_b = np.zeros(n, bool)
    u = rng.random(n)
    new_assoc = rng.integers(0, len(codes), n)
    for i in np.flatnonzero(upd != NA):
        if dormant[i]:
            withdrawn_b[i] = True
        elif (ins[i] == BUS_INS["not_enrolled"]).any():
            ins_b[i][ins[i] == BUS_INS["not_enrolled"]] = BUS_INS["enrolled"]
        elif u[i] < 0.3 and kind[i] != SOLE:
            assoc_b[i] = ";".join(codes[j] for j in sorted(assoc_sets[i] | {int(new_assoc[i])}))
        elif kind[i] != SOLE:
            employees_b[i] = max(workers[i], employees[i] + int(rng.integers(-1, 4)))
        else:
            employees_b[i] = 1 - employees[i]
    upd_at = np.where(upd != NA, np.where(upd == NA, 0, upd) * 86400 + rng.integers(9 * 3600, 18 * 3600, n), NA)

    return Businesses(
        n=n, ids=ids, spare_ids=spare, kind=kind, dormant=dormant, pref=pref, trade=trade, reg=reg,
        capital=capital, employees_a=employees, employees_b=employees_b, assoc_a=assoc_a, assoc_b=assoc_b,
        ins_a=ins, ins_b=ins_b, withdrawn_b=withdrawn_b, kc_no=kc_no, name=names, owner_name=owner,
        survey=rng.random(n) < p.wage_survey_share, bonus=rng.random(n) < 0.55, workers=workers,
        created_at=created, upd_day=upd, upd_at=upd_at)


# --------------------------------------------------------------------------------------------
# workers
# --------------------------------------------------------------------------------------------
@dataclass
class Workers:
    n: int
    ids: pa.Array
    spare_ids: pa.Array          # unused ids (for deliberately bad rows)
    employer: np.ndarray
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
    ins_a: np.ndarray            # (n, 3) person insurance enum index
    ins_b: np.ndarray
    verified_a: np.ndarray
    verified_b: np.ndarray
    kt_a: list
    kt_b: list
    name: list
    phone_a: list
    phone_b: list
    address_a: list
    address_b: list
    created_at: np.ndarray
    upd_day: np.ndarray
    upd_kind: np.ndarray         # 0 level-up, 1 insurance, 2 kentaikyo number, 3 contact details
    upd_at: np.ndarray
    touch_factor: np.ndarray     # how reliably the worker touches in (behaviour, not a feed column)

    def level_on(self, day: np.ndarray, idx: np.ndarray) -> np.ndarray:
        """Registry level of workers `idx` on `day`."""
        up = (self.upd_kind[idx] == 0) & (self.upd_day[idx] != NA) & (day >= self.judged_b[idx])
        return np.where(up, self.level_b[idx], self.level_a[idx])


def _quals_matrix(rng, fields: list[str], level: np.ndarray, detailed: np.ndarray, occ_field: np.ndarray) -> np.ndarray:
    qcodes = ref.qualification_codes()
    qi = {q: i for i, q in enumerate(qcodes)}
    n = len(level)
    Q = np.zeros((n, len(qcodes)), bool)
    # generic qualifications, more for detailed registrations
    for code, pr in (("TAMAKAKE", 0.35), ("SHOKUCHO_ANZEN", 0.25), ("KOSHO_SAGYOSHA", 0.1),
                     ("SHARYO_KENKI", 0.1), ("KOGATA_CRANE", 0.08)):
        if code in qi:
            Q[:, qi[code]] = rng.random(n) < pr * np.where(detailed, 1.0, 0.2)
    if "SHOKUCHO_ANZEN" in qi:
        Q[level >= 3, qi["SHOKUCHO_ANZEN"]] |= rng.random(int((level >= 3).sum())) < 0.7
    for f_i, fname in enumerate(fields):
        crit = ref.LEVEL_QUALIFICATIONS.get(fname)
        if not crit:
            continue
        in_field = occ_field == f_i
        for lv, (required, any_of) in crit.items():
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


def _quals_lookup(Qa: np.ndarray, Qb: np.ndarray) -> tuple[Lookup, Lookup]:
    qcodes = ref.qualification_codes()
    weights = (1 << np.arange(Qa.shape[1], dtype=np.int64))
    ka, kb = Qa.astype(np.int64) @ weights, Qb.astype(np.int64) @ weights
    uniq, inv = np.unique(np.concatenate([ka, kb]), return_inverse=True)
    strs = [";".join(qcodes[j] for j in range(len(qcodes)) if (int(u) >> j) & 1) or None for u in uniq]
    table = pa.array([s or "" for s in strs], pa.string())
    inv = np.where(np.array([s is None for s in strs])[inv], -1, inv)
    return Lookup(inv[:len(ka)], table), Lookup(inv[len(ka):], table)


def make_workers(p: ScaleParams, cal: Calendar, B: Businesses, rng) -> Workers:
    O, P = ref.occupations(), ref.prefectures()
    employer = np.repeat(np.arange(B.n), B.workers)
    n = len(employer)
    sole = B.kind[employer] == SOLE

    occ = np.where(rng.random(n) < 0.75, B.trade[employer], choice_idx(rng, O.weights, n))
    reg = np.maximum(sample_registration(rng, n, cal.end, 1), B.reg[employer])
    reg[sole] = B.reg[employer][sole]
    detailed = rng.random(n) < np.where(sole, 0.5, p.detailed_share)

    # levels: among level 2-4 roughly L4 > L2 ≈ L3 (level_judgements_2024_03.csv)
    k_new = first_delivery(cal, reg)
    first_day = cal.deliveries[np.minimum(k_new, len(cal.deliveries) - 1)]
    judged_lo = np.maximum(reg, LAUNCH + 180)
    can_judge = detailed & (judged_lo <= first_day)
    level = np.ones(n, dtype=np.int64)
    skilled = can_judge & (rng.random(n) < p.skilled_share)
    level[skilled] = 2 + choice_idx(rng, np.array([22885, 22554, 53096], float), int(skilled.sum()))
    judged = np.where(level > 1, judged_lo + np.floor(rng.random(n) * (first_day - judged_lo + 1)).astype(np.int64), NA)

    # age and experience; a level needs its years in construction
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
    occ_field = np.array([fields.index(O.fields[o]) if O.fields[o] else -1 for o in range(len(O.codes))])[occ]
    Qa = _quals_matrix(rng, fields, level, detailed, occ_field)

    # insurance as verified by the registry
    ins = np.zeros((n, 3), dtype=np.int64)
    u = rng.random(n)
    emp_ins = B.ins_a[employer]
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

    has_kc = np.array([B.kc_no[e] is not None for e in employer.tolist()], dtype=bool)
    kt_on = rng.random(n) < np.where(has_kc, 0.88, 0.3)
    kt_num = rng.integers(1_000_000_000, 9_999_999_999, n)
    kt_a = [str(k) if on else None for k, on in zip(kt_num.tolist(), kt_on.tolist())]

    names = fake_names(rng, n)
    owner_of = np.flatnonzero(sole)
    for i in owner_of.tolist():
        names[i] = B.owner_name[employer[i]]
    home = np.where(rng.random(n) < 0.85, B.pref[employer], choice_idx(rng, P.weights, n))
    phone = fake_phones(rng, n)
    phone = [None if x else ph for ph, x in zip(phone, (rng.random(n) < 0.05).tolist())]
    address = fake_addresses(rng, home)
    address = [None if x else ad for ad, x in zip(address, (rng.random(n) < 0.03).tolist())]
    # A birth date is required (feeds.md); the draw that once left 2 % of them blank is kept, so
    # every later draw, and the rest of the sample, stays as it was.
    rng.random(n)

    # in-period updates
    created = created_stamp(rng, reg, cal)
    lo = np.maximum(reg, cal.d0) + 1
    upd = np.where(rng.random(n) < 0.15 * cal.days / 365, event_days(rng, lo, cal.end), NA)
    upd_kind = np.full(n, -1, dtype=np.int64)
    level_b, judged_b, Qb = level.copy(), judged.copy(), Qa.copy()
    ins_b, verified_b = ins.copy(), verified.copy()
    kt_b, phone_b, address_b = list(kt_a), list(phone), list(address)
    years_at_upd = (np.where(upd == NA, 0, upd) - exp_start) / 365.25
    next_level = np.minimum(level + 1, 4)
    can_up = detailed & (level < 4) & (years_at_upd >= ref.LEVEL_MIN_YEARS[next_level]) & (upd != NA)
    ups = can_up & (rng.random(n) < 0.2)
    upd_kind[ups] = 0
    level_b[ups] = next_level[ups]
    judged_b[ups] = np.maximum(np.where(upd == NA, 0, upd) - rng.integers(0, 8, n), reg)[ups]
    Qb[ups] |= _quals_matrix(rng, fields, level_b, detailed, occ_field)[ups]
    rest = (upd != NA) & ~ups
    ins_fix = rest & (ins == PER_INS["unknown"]).any(axis=1)
    upd_kind[ins_fix] = 1
    ins_b[ins_fix] = np.where(ins[ins_fix] == PER_INS["unknown"], PER_INS["enrolled"], ins[ins_fix])
    verified_b[ins_fix] = upd[ins_fix]
    rest &= ~ins_fix
    kt_new = rest & ~kt_on
    upd_kind[kt_new] = 2
    for i in np.flatnonzero(kt_new).tolist():
        kt_b[i] = str(kt_num[i])
    contact = rest & ~kt_new
    upd_kind[contact] = 3
    new_phone = fake_phones(rng, n)
    new_addr = fake_addresses(rng, home)
    for i in np.flatnonzero(contact).tolist():
        phone_b[i], address_b[i] = new_phone[i], new_addr[i]
    upd_at = np.where(upd != NA, np.where(upd == NA, 0, upd) * 86400 + rng.integers(9 * 3600, 18 * 3600, n), NA)
    quals_a, quals_b = _quals_lookup(Qa, Qb)

    nums = unique_ids(rng, n + 8)
    return Workers(
        n=n, ids=id_strings(nums[:n]), spare_ids=id_strings(nums[n:]), employer=employer, occ=occ, reg=reg, detailed=detailed,
        level_a=level, level_b=level_b, judged_a=judged, judged_b=judged_b, quals_a=quals_a, quals_b=quals_b,
        exp_start=exp_start, birth=birth, ins_a=ins, ins_b=ins_b, verified_a=verified, verified_b=verified_b,
        kt_a=kt_a, kt_b=kt_b, name=names, phone_a=phone, phone_b=phone_b, address_a=address, address_b=address_b,
        created_at=created, upd_day=upd, upd_kind=upd_kind, upd_at=upd_at,
        touch_factor=np.where(rng.random(n) < 0.1, 0.3, 1.0))


# --------------------------------------------------------------------------------------------
# sites
# --------------------------------------------------------------------------------------------
@dataclass
class Sites:
    n: int
    ids: pa.Array
    spare_ids: pa.Array
    name: list
    pref: np.ndarray
    orderer: np.ndarray
    public: np.ndarray
    model: np.ndarray
    amount: np.ndarray
    start: np.ndarray
    end: np.ndarray             # actual last day
    end_a: np.ndarray           # end_on as first registered (before an extension)
    prime: np.ndarray
    method: np.ndarray
    reader_a: np.ndarray
    reader_b: np.ndarray
    reader_from: np.ndarray     # first day a card reader is on site (huge = never)
    two_days: np.ndarray
    reg: np.ndarray
    created_at: np.ndarray
    upd_day: np.ndarray
    upd_at: np.ndarray
    # behaviour (not feed columns)
    touch: np.ndarray           # probability a registered worker's day leaves a work-history record
    entry_mean: np.ndarray      # seconds after midnight
    exit_mean: np.ndarray
    exit_cap: np.ndarray
    sat_open: np.ndarray
    sun_open: np.ndarray
    hol_open: np.ndarray
    strict: np.ndarray          # refuses entry to persons without verified insurance
    check_probs: np.ndarray     # (n, 3) ccus / document / none for registered persons
    unreg_business: np.ndarray  # propensity for unregistered subcontractors


NEVER = 10 ** 9


def _site_names(rng, orderer: np.ndarray, pref: np.ndarray) -> list[str]:
    P = ref.prefectures()
    inv = {v: k for k, v in ORDERER.items()}
    town = rng.integers(0, len(ref.TOWNS), len(orderer))
    num = rng.integers(1, 60, len(orderer))
    kind = rng.integers(0, 4, len(orderer))
    out = []
    for o, p_, t, k, x in zip(orderer.tolist(), pref.tolist(), town.tolist(), kind.tolist(), num.tolist()):
        tw, city = ref.TOWNS[t], P.capitals[p_].removesuffix("市").removesuffix("区")
        o = inv[o]
        if o == "mlit":
            out.append([f"国道{x}号{tw}地区道路改良工事", f"{city}{tw}川河川改修工事", f"{tw}橋橋梁補修工事",
                        f"{city}国道{x}号{tw}トンネル工事"][k])
        elif o == "national_other":
            out.append([f"{city}合同庁舎改修工事", f"{tw}宿舎新築工事", f"{city}{tw}施設整備工事", f"{tw}地区港湾整備工事"][k])
        elif o == "prefecture":
            out.append([f"県道{city}{tw}線道路改良工事", f"{P.names[p_]}立{tw}高等学校改築工事", f"{tw}川砂防工事",
                        f"{tw}地区急傾斜地崩壊対策工事"][k])
        elif o == "municipality":
            out.append([f"{city}立{tw}小学校改築工事", f"{city}{tw}地区下水道管渠工事", f"市道{tw}{x}号線舗装工事",
                        f"{city}{tw}公民館新築工事"][k])
        elif o == "public_corp":
            out.append([f"{tw}団地建替工事", f"{city}{tw}高速道路橋梁工事", f"{tw}浄水場更新工事", f"{tw}駅改良工事"][k])
        else:
            out.append([f"（仮称）{tw}{x}丁目マンション新築工事", f"（仮称）{city}{tw}ビル新築工事",
                        f"{tw}物流センター新築工事", f"{tw}工場増築工事"][k])
    return out


def make_sites(p: ScaleParams, cal: Calendar, B: Businesses, rng) -> Sites:
    P = ref.prefectures()
    n = p.sites
    nums = unique_ids(rng, n + 8)
    pref = choice_idx(rng, P.weights, n)
    public = rng.random(n) < p.public_works_share
    pub_orderers = np.array([ORDERER[o] for o in ("mlit", "national_other", "prefecture", "municipality", "public_corp")])
    orderer = np.where(public, pub_orderers[choice_idx(rng, np.array([0.15, 0.05, 0.3, 0.4, 0.1]), n)], ORDERER["private"])
    mlit = orderer == ORDERER["mlit"]
    mp = np.where(mlit[:, None], [[0.25, 0.45, 0.30]], [[0.63, 0.12, 0.25]])   # none, mandatory, recommended
    model = np.where(public, row_choice(rng, mp), MODEL["none"])
    is_model = model != MODEL["none"]
    amount = np.exp(rng.normal(np.log(np.where(public, 2e8, 5e8)), 1.2)).clip(5e6, 3e10)
    amount = (np.round(amount / 1000) * 1000).astype(np.int64)

    dur = np.clip(np.exp(rng.normal(np.log(300), 0.6, n)), 45, 1100).astype(np.int64)
    start = cal.d0 - dur + 10 + np.floor(rng.random(n) * (cal.days + dur - 15)).astype(np.int64)
    later = rng.random(n) < (0.03 if cal.days > 60 else 0.0)   # registered, not started yet
    start[later] = cal.end + rng.integers(1, 60, int(later.sum()))
    end = start + dur - 1

    # prime: a general contractor, same prefecture when one exists
    gens = np.flatnonzero((B.kind == GENERAL) & ~B.dormant)
    gw = (B.workers[gens] + 1.0) ** 0.7
    prime = np.empty(n, dtype=np.int64)
    for s in range(n):
        w = gw * np.where(B.pref[gens] == pref[s], 6.0, 1.0)
        prime[s] = gens[choice_idx(rng, w, 1)[0]]

    mprob = np.where(public[:, None], [[0.45, 0.45, 0.10]], [[0.15, 0.45, 0.40]])    # electronic, stamp, none
    mprob = mprob + is_model[:, None] * np.array([[0.25, -0.15, -0.08]])
    method = row_choice(rng, np.clip(mprob, 0.01, None))
    reader = rng.random(n) < np.where(is_model, 0.85, np.where(public, 0.5, 0.4))
    tprob = np.where(public[:, None], [[0.35, 0.45, 0.20]], [[0.8, 0.1, 0.1]])        # none, whole_period, monthly
    two_days = row_choice(rng, tprob)
    reg = np.minimum(np.maximum(start - rng.integers(0, 46, n), LAUNCH), cal.end)

    # in-period updates: a construction period extended (工期延長) or a card reader installed
    end_a = end.copy()
    upd = np.full(n, NA, dtype=np.int64)
    first_k = first_delivery(cal, reg)
    first_day = cal.deliveries[np.minimum(first_k, len(cal.deliveries) - 1)]
    ext = (rng.random(n) < 0.15) & (end > cal.d0 + 45) & (end < cal.end + 120)
    end_a[ext] = end[ext] - rng.integers(20, 90, int(ext.sum()))
    ev = end_a - rng.integers(7, 40, n)
    ok = ext & (ev > np.maximum(first_day, cal.d0)) & (ev <= cal.end) & (end_a > start)
    end_a[ext & ~ok] = end[ext & ~ok]
    upd[ok] = ev[ok]
    reader_from = np.where(reader, -NEVER, NEVER).astype(np.int64)
    inst = (~reader) & (~ok) & (rng.random(n) < 0.12)
    inst_day = event_days(rng, np.maximum(np.maximum(start, first_day), cal.d0) + 1, cal.end)
    inst &= (inst_day != NA) & (inst_day <= end)
    upd[inst] = inst_day[inst]
    reader_from[inst] = inst_day[inst]
    reader_b = reader | inst
    upd_at = np.where(upd != NA, np.where(upd == NA, 0, upd) * 86400 + rng.integers(9 * 3600, 18 * 3600, n), NA)

    # behaviour: card-touch rate ~0.2-0.95, working hours, days off, admission rules
    touch = np.where(model == MODEL["mandatory"], 0.30 + 0.65 * rng.beta(4, 2, n),
                     np.where(model == MODEL["recommended"], 0.20 + 0.72 * rng.beta(3, 2.5, n),
                              0.12 + 0.80 * rng.beta(1.6, 2.4, n)))
    touch = np.clip(touch + 0.08 * reader, 0.05, 0.98)
    profile = choice_idx(rng, np.array([0.8, 0.15, 0.05]), n)       # normal, busy, heavy overtime
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

    return Sites(
        n=n, ids=id_strings(nums[:n]), spare_ids=id_strings(nums[n:]), name=_site_names(rng, orderer, pref),
        pref=pref, orderer=orderer, public=public, model=model, amount=amount, start=start, end=end,
        end_a=end_a, prime=prime, method=method, reader_a=reader, reader_b=reader_b, reader_from=reader_from,
        two_days=two_days, reg=reg, created_at=created_stamp(rng, reg, cal), upd_day=upd, upd_at=upd_at,
        touch=touch, entry_mean=entry_mean, exit_mean=exit_mean, exit_cap=exit_cap, sat_open=sat, sun_open=sun,
        hol_open=hol, strict=strict, check_probs=check, unreg_business=unreg)


# --------------------------------------------------------------------------------------------
# site contracts (施工体制)
# --------------------------------------------------------------------------------------------
@dataclass
class Contracts:
    n: int
    site: np.ndarray
    biz: np.ndarray              # business index, -1 for an unregistered business
    ref: pa.Array                # business_ref as written: 14-digit id or L + digits
    tier: np.ndarray
    upper: np.ndarray            # contract index of the direct upper, -1 for the prime
    join: np.ndarray
    left: np.ndarray
    stamp_exception: np.ndarray
    left_reported: np.ndarray    # left_on is eventually delivered (some never are)
    visible: np.ndarray          # first day the contract is known (pre-notified up to 14 days ahead)


def make_contracts(p: ScaleParams, cal: Calendar, B: Businesses, S: Sites, rng) -> Contracts:
    spec = np.flatnonzero((B.kind == SPECIALTY) & ~B.dormant)
    sole = np.flatnonzero(B.kind == SOLE)
    gens = np.flatnonzero((B.kind == GENERAL) & ~B.dormant)
    w_spec = (B.workers[spec] + 1.0) ** 0.8
    w_sole = np.ones(len(sole))
    w_gen = (B.workers[gens] + 1.0) ** 0.5 * 0.05

    site, biz, tier, upper, join, left = [], [], [], [], [], []

    def pick(pool, w, s, day, used):
        ok = (B.reg[pool] <= day) & ~np.isin(pool, used)
        if not ok.any():
            return -1
        ww = w * ok * np.where(B.pref[pool] == S.pref[s], 5.0, 1.0)
        return int(pool[choice_idx(rng, ww, 1)[0]])

    for s in range(S.n):
        st, en = int(S.start[s]), int(S.end[s])
        dur = en - st + 1
        base = len(site)
        site.append(s); biz.append(int(S.prime[s])); tier.append(0); upper.append(-1); join.append(st); left.append(en)
        used = [int(S.prime[s])]
        lam = np.clip(0.8 + 1.1 * np.log10(S.amount[s] / 5e7), 0.5, 7.0)
        n1 = 1 + int(rng.poisson(lam))
        for _ in range(n1):
            j = st + int(rng.random() * 0.6 * dur)
            lf = min(en, j + max(10, int(dur * rng.uniform(0.25, 0.9))))
            if rng.random() < S.unreg_business[s] * 0.5:
                b = -1
            else:
                b = pick(gens, w_gen, s, j, used) if rng.random() < 0.03 else pick(spec, w_spec, s, j, used)
            if b >= 0:
                used.append(b)
            t1 = len(site)
            site.append(s); biz.append(b); tier.append(1); upper.append(base); join.append(j); left.append(lf)
            for _ in range(min(4, int(rng.poisson(1.1)))):
                j2 = j + int(rng.random() * 0.5 * (lf - j))
                l2 = min(lf, j2 + max(5, int((lf - j2) * rng.uniform(0.4, 1.0))))
                if rng.random() < S.unreg_business[s] * 1.5:
                    b2 = -1
                else:
                    b2 = pick(sole, w_sole, s, j2, used) if rng.random() < 0.45 else pick(spec, w_spec, s, j2, used)
                if b2 >= 0:
                    used.append(b2)
                t2 = len(site)
                site.append(s); biz.append(b2); tier.append(2); upper.append(t1); join.append(j2); left.append(l2)
                for _ in range(min(2, int(rng.poisson(0.15)))):
                    j3 = j2 + int(rng.random() * 0.5 * (l2 - j2))
                    l3 = min(l2, j3 + max(3, int((l2 - j3) * rng.uniform(0.4, 1.0))))
                    if rng.random() < S.unreg_business[s] * 2.5:
                        b3 = -1
                    else:
                        b3 = pick(sole, w_sole, s, j3, used) if rng.random() < 0.7 else pick(spec, w_spec, s, j3, used)
                    if b3 >= 0:
                        used.append(b3)
                    site.append(s); biz.append(b3); tier.append(3); upper.append(t2); join.append(j3); left.append(l3)

    site, biz = np.array(site), np.array(biz)
    n = len(site)
    tier = np.array(tier)
    lnum = 1_000_000 + np.cumsum(biz < 0)
    refs = [None] * n
    bid = B.ids.to_pylist()
    for i in range(n):
        refs[i] = bid[biz[i]] if biz[i] >= 0 else f"L{lnum[i]}"
    join_a = np.array(join)
    stamp_exc = (tier > 0) & (biz >= 0) & (S.method[site] == METHOD["electronic"]) & (rng.random(n) < 0.06)
    visible = np.maximum(join_a - rng.integers(0, 15, n), S.reg[site])
    return Contracts(n=n, site=site, biz=biz, ref=pa.array(refs, pa.string()), tier=tier,
                     upper=np.array(upper), join=join_a, left=np.array(left), stamp_exception=stamp_exc,
                     left_reported=rng.random(n) < 0.95, visible=visible)
