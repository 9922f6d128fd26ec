"""Sites (現場・契約情報) overlapping the period: orderer, public works and model projects,
contract amount, construction period, prime (a general contractor, of the same prefecture when
one exists), 建退共 method, card readers, 週休2日; an in-period update (a period extension or a
card reader installed); and the behaviour the activity needs (touch rate, hours, days off,
admission rules)."""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from simulator import reference as ref
from simulator.businesses import Businesses
from simulator.codes import GENERAL, MODEL, NEVER, ORDERER, TWO_DAYS
from simulator.curves import DURATION_MEDIAN, DURATION_SIGMA, Curves, sites_overlapping
from simulator.dates import LAUNCH, NA, Calendar
from simulator.draw import (
    choice_idx, created_stamp, event_days, first_delivery, id_strings, row_choice, unique_ids, update_stamps,
    weighted_in_groups,
)
from simulator.orderers import orderer_codes
from simulator.params import ScaleParams
from simulator.text import join, strings, take


@dataclass
class Sites:
    n: int
    num: np.ndarray
    ids: pa.Array
    spare_ids: pa.Array
    pref: np.ndarray
    orderer: np.ndarray
    orderer_code: np.ndarray    # index into orderers.orderer_table(), -1: empty
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
    reader_from: np.ndarray     # first day a card reader is on site (NEVER: none)
    two_days: np.ndarray
    reg: np.ndarray
    created_at: np.ndarray
    upd_day: np.ndarray
    upd_at: np.ndarray
    name_parts: np.ndarray      # (n, 3) template, town, number
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


SITE_TEMPLATES = {   # orderer -> four name templates: {city} {tw} {x} {pref}
    "mlit": ("国道{x}号{tw}地区道路改良工事", "{city}{tw}川河川改修工事", "{tw}橋橋梁補修工事", "{city}国道{x}号{tw}トンネル工事"),
    "national_other": ("{city}合同庁舎改修工事", "{tw}宿舎新築工事", "{city}{tw}施設整備工事", "{tw}地区港湾整備工事"),
    "prefecture": ("県道{city}{tw}線道路改良工事", "{pref}立{tw}高等学校改築工事", "{tw}川砂防工事", "{tw}地区急傾斜地崩壊対策工事"),
    "municipality": ("{city}立{tw}小学校改築工事", "{city}{tw}地区下水道管渠工事", "市道{tw}{x}号線舗装工事", "{city}{tw}公民館新築工事"),
    "public_corp": ("{tw}団地建替工事", "{city}{tw}高速道路橋梁工事", "{tw}浄水場更新工事", "{tw}駅改良工事"),
    "private": ("（仮称）{tw}{x}丁目マンション新築工事", "（仮称）{city}{tw}ビル新築工事", "{tw}物流センター新築工事", "{tw}工場増築工事"),
}


def site_names(S: Sites, idx: np.ndarray) -> pa.Array:
    """Site names of rows idx, vectorised: one join per template."""
    P = ref.prefectures()
    inv = {v: k for k, v in ORDERER.items()}
    city_tbl = strings(c.removesuffix("市").removesuffix("区") for c in P.capitals)
    pref_tbl = strings(P.names)
    town_tbl = strings(ref.TOWNS)
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
                parts.append(take(city_tbl, pref[rows]))
            elif piece == "{pref}":
                parts.append(take(pref_tbl, pref[rows]))
            elif piece == "{tw}":
                parts.append(take(town_tbl, town[rows]))
            elif piece == "{x}":
                parts.append(pa.array(num[rows].astype(np.int64)).cast(pa.string()))
            elif piece:
                parts.append(piece)
        rows_list.append(rows)
        names_list.append(join(*parts))
    if not rows_list:
        return pa.array([], pa.string())
    order = np.concatenate(rows_list)
    inv_order = np.empty(len(order), np.int64)
    inv_order[order] = np.arange(len(order))
    return pa.concat_arrays(names_list).take(pa.array(inv_order))


def _durations(rng, n: int) -> np.ndarray:
    return np.clip(np.exp(rng.normal(np.log(DURATION_MEDIAN), DURATION_SIGMA, n)), 45, 1100).astype(np.int64)


def site_periods(p: ScaleParams, cal: Calendar, curves: Curves, rng) -> tuple[np.ndarray, np.ndarray]:
    """Start and duration of each site: those overlapping the period (starts spread evenly over
    every day that lets a site overlap it; 3 % of a long period's registered before they start),
    then, for a scale with a work history, those that ended before it, started since the launch
    at `sites_per_year` scaled by the registered workers of their day."""
    n = sites_overlapping(p.sites_per_year, cal.days)
    dur = _durations(rng, n)
    start = cal.d0 - dur + 1 + np.floor(rng.random(n) * (cal.days + dur - 1)).astype(np.int64)
    later = rng.random(n) < (0.03 if cal.days > 60 else 0.0)     # registered, not started yet
    start[later] = cal.end + rng.integers(1, 60, int(later.sum()))
    if not p.history:
        return start, dur
    days = np.arange(LAUNCH, cal.d0)
    rate = p.sites_per_year / 365 * np.interp(days, curves.knots, curves.workers) / curves.workers[-1]
    cum = np.cumsum(rate)
    m = int(rng.poisson(cum[-1])) if len(cum) else 0
    past_start = days[np.minimum(np.searchsorted(cum, rng.random(m) * cum[-1]), len(days) - 1)]
    past_dur = _durations(rng, m)
    ended = past_start + past_dur - 1 < cal.d0          # the others overlap the period: drawn above
    return np.r_[start, past_start[ended]], np.r_[dur, past_dur[ended]]


def make_sites(p: ScaleParams, cal: Calendar, B: Businesses, curves: Curves, rng, orderer_rng) -> Sites:
    P = ref.prefectures()
    start, dur = site_periods(p, cal, curves, rng)
    n = len(start)
    end = start + dur - 1
    nums = unique_ids(rng, n + 8)
    pref = choice_idx(rng, P.weights, n)
    public = rng.random(n) < p.public_works_share
    pub_orderers = np.array([ORDERER[o] for o in ("mlit", "national_other", "prefecture", "municipality", "public_corp")])
    orderer = np.where(public, pub_orderers[choice_idx(rng, np.array([0.15, 0.05, 0.3, 0.4, 0.1]), n)],
                       ORDERER["private"])
    mlit = orderer == ORDERER["mlit"]
    mp = np.where(mlit[:, None], [[0.25, 0.45, 0.30]], [[0.63, 0.12, 0.25]])     # none, mandatory, recommended
    model = np.where(public, row_choice(rng, mp), MODEL["none"])
    is_model = model != MODEL["none"]
    amount = np.exp(rng.normal(np.log(np.where(public, 2e8, 5e8)), 1.2)).clip(5e6, 3e10)
    amount = (np.round(amount / 1000) * 1000).astype(np.int64)
    reg = np.minimum(np.maximum(start - rng.integers(0, 46, n), LAUNCH), cal.end)

    gens = np.flatnonzero((B.kind == GENERAL) & ~B.dormant)
    gw = (B.workers[gens] + 1.0) ** 0.7
    prime = weighted_in_groups(rng, gens, gw, B.pref[gens], pref, 6.0)

    mprob = np.where(public[:, None], [[0.45, 0.45, 0.10]], [[0.15, 0.45, 0.40]])    # electronic, stamp, none
    mprob = mprob + is_model[:, None] * np.array([[0.25, -0.15, -0.08]])
    method = row_choice(rng, np.clip(mprob, 0.01, None))
    reader = rng.random(n) < np.where(is_model, 0.85, np.where(public, 0.5, 0.4))
    tprob = np.where(public[:, None], [[0.35, 0.45, 0.20]], [[0.8, 0.1, 0.1]])        # none, whole_period, monthly
    two_days = row_choice(rng, tprob)

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
    upd_at = update_stamps(rng, upd)

    # behaviour: card-touch rate ~0.2-0.95, working hours, days off, admission rules
    touch = np.where(model == MODEL["mandatory"], 0.30 + 0.65 * rng.beta(4, 2, n),
                     np.where(model == MODEL["recommended"], 0.20 + 0.72 * rng.beta(3, 2.5, n),
                              0.12 + 0.80 * rng.beta(1.6, 2.4, n)))
    touch = np.clip(touch + 0.08 * reader, 0.05, 0.98)
    if p.touch_floor:
        touch = np.maximum(touch, p.touch_floor + (0.99 - p.touch_floor) * rng.random(n))
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
    if p.touch_floor:            # full adoption: (almost) every business on CCUS
        unreg = unreg * 0.1
    name_parts = np.stack([rng.integers(0, 4, n), rng.integers(0, len(ref.TOWNS), n), rng.integers(1, 60, n)], axis=1)
    return Sites(
        n=n, num=nums[:n], ids=id_strings(nums[:n]), spare_ids=id_strings(nums[n:]), pref=pref,
        orderer=orderer, orderer_code=orderer_codes(orderer, pref, orderer_rng), public=public, model=model, amount=amount, start=start, end=end, end_a=end_a, prime=prime,
        method=method, reader_a=reader, reader_b=reader_b, reader_from=reader_from, two_days=two_days, reg=reg,
        created_at=created_stamp(rng, reg, cal), upd_day=upd, upd_at=upd_at, name_parts=name_parts,
        touch=touch.astype(np.float32), entry_mean=entry_mean, exit_mean=exit_mean, exit_cap=exit_cap,
        sat_open=sat, sun_open=sun, hol_open=hol, strict=strict, check_probs=check, unreg_business=unreg)
