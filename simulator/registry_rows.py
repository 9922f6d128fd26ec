"""The rows of each registry delivery (businesses, workers, sites, site_contracts).

The first delivery, dated the start, holds everything registered by then; each later one (the
1st of each month and the last day) the new registrations and the in-period updates (state b;
`updated_at` later, latest row per key wins). Rows are value containers for the renderer,
built for a chunk of row indices at a time.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import pyarrow as pa

from simulator import reference as ref
from simulator.codes import REG_TYPE, SOLE
from simulator.dates import NA, Calendar
from simulator.draw import first_delivery
from simulator.identities import address_strings, business_names, name_strings, phone_strings
from simulator.orderers import orderer_table
from simulator.population import World
from simulator.render import Lookup, Stamps
from simulator.sites import site_names
from simulator.text import digits, join, null_where, strings

BIG = np.iinfo(np.int64).max // 4       # "in no delivery"


def delivery_of(cal: Calendar, days) -> np.ndarray:
    """Index of the delivery that carries an event of each day (BIG for NA or after the last one)."""
    days = np.asarray(days, dtype=np.int64)
    k = first_delivery(cal, np.where(days == NA, 0, days))
    return np.where((days == NA) | (days > cal.deliveries[-1]), BIG, k)


def delivery_rows(k_new: np.ndarray, k_upd: np.ndarray, k: int, num: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows of delivery k, sorted by id: new entities (in their state b when updated in the same
    delivery) and updates of earlier ones. Returns the entity indices and whether each row shows state b."""
    new = np.flatnonzero(k_new == k)
    upd = np.flatnonzero((k_upd == k) & (k_upd > k_new))
    idx = np.r_[new, upd]
    post = np.r_[k_upd[new] == k, np.ones(len(upd), bool)]
    o = np.lexsort((post, num[idx]))
    return idx[o], post[o]


def contract_rows(cal: Calendar, C) -> list[np.ndarray]:
    """Contract indices of each delivery: a contract when known, again with its left_on once passed."""
    k_vis = delivery_of(cal, C.visible)
    k_left = np.where(C.left_reported, delivery_of(cal, C.left), BIG)
    out = []
    for k in range(len(cal.deliveries)):
        new = np.flatnonzero(k_vis == k)
        upd = np.flatnonzero((k_left == k) & (k_left > k_vis) & (k_vis < BIG))
        idx = np.r_[new, upd]
        out.append(idx[np.lexsort((C.join[idx], C.tier[idx], C.site[idx]))])
    return out


@lru_cache(maxsize=None)
def association_strings() -> pa.Array:
    """Every association list as text, by bit mask (one table, built once)."""
    codes = ref.ASSOCIATION_CODES
    return strings(";".join(codes[j] for j in range(len(codes)) if (m >> j) & 1) for m in range(1 << len(codes)))


def _state(post: np.ndarray, a: np.ndarray, b: np.ndarray, idx: np.ndarray) -> np.ndarray:
    return np.where(post if a.ndim == 1 else post[:, None], b[idx], a[idx])


def business_rows(w: World, idx: np.ndarray, post: np.ndarray, delta: bool) -> dict:
    B = w.B
    assoc = _state(post, B.assoc_a, B.assoc_b, idx)
    d = {
        "business_id": Lookup(idx, B.ids),
        "business_name": business_names(B, idx),
        "prefecture_code": w.pref_codes[B.pref[idx]],
        "is_sole_proprietor": B.kind[idx] == SOLE,
        "capital_yen": B.capital[idx],
        "employee_count": _state(post, B.employees_a, B.employees_b, idx),
        "registered_on": B.reg[idx],
        "association_codes": Lookup(np.where(assoc == 0, -1, assoc), association_strings()),
        "kentaikyo_contractor_no": null_where(
            join(digits(w.pref_codes[B.pref[idx]], 2), digits(np.where(B.kc[idx] == NA, 0, B.kc[idx]), 7)),
            B.kc[idx] == NA),
        "updated_at": Stamps(np.where(post, B.upd_at[idx], B.created_at[idx])),
    }
    for j, col in enumerate(("health_insurance", "pension_insurance", "employment_insurance")):
        d[col] = np.where(post, B.ins_b[idx, j], B.ins_a[idx, j])
    if delta:    # the optional column appears in the deltas only
        d["is_withdrawn"] = post & B.withdrawn_b[idx]
    return d


def worker_rows(w: World, idx: np.ndarray, post: np.ndarray, delta: bool) -> dict:
    W, B = w.W, w.B
    kt = _state(post, W.kt_a, W.kt_b, idx)
    d = {
        "worker_id": Lookup(idx, W.ids),
        "worker_name": name_strings(W.name[idx]),
        "phone": phone_strings(_state(post, W.phone_a, W.phone_b, idx)),
        "address": address_strings(W.home[idx], _state(post, W.addr_a, W.addr_b, idx)),
        "birth_date": W.birth[idx],
        "employer_business_id": Lookup(W.employer[idx], B.ids),
        "occupation_code": Lookup(W.occ[idx].astype(np.int64), w.occ_table),
        "registration_type": np.where(W.detailed[idx], REG_TYPE["detailed"], REG_TYPE["simple"]),
        "registered_on": W.reg[idx],
        "level": _state(post, W.level_a, W.level_b, idx).astype(np.int64),
        "level_judged_on": _state(post, W.judged_a, W.judged_b, idx),
        "qualifications": Lookup(_state(post, W.quals_a.idx, W.quals_b.idx, idx), W.quals_a.table),
        "experience_start_on": W.exp_start[idx],
        "insurance_verified_on": _state(post, W.verified_a, W.verified_b, idx),
        "kentaikyo_member_no": null_where(digits(np.where(kt == NA, 0, kt), 10), kt == NA),
        "updated_at": Stamps(np.where(post, W.upd_at[idx], W.created_at[idx])),
    }
    for j, col in enumerate(("health_insurance", "pension_insurance", "employment_insurance")):
        d[col] = np.where(post, W.ins_b[idx, j], W.ins_a[idx, j])
    return d


def site_rows(w: World, idx: np.ndarray, post: np.ndarray, delta: bool) -> dict:
    S, B = w.S, w.B
    return {
        "site_id": Lookup(idx, S.ids),
        "site_name": site_names(S, idx),
        "prefecture_code": w.pref_codes[S.pref[idx]],
        "orderer_type": S.orderer[idx],
        "orderer_code": Lookup(S.orderer_code[idx], orderer_table()),
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


def site_contract_data(w: World, idx: np.ndarray, day: int) -> dict:
    C = w.C
    shown = C.left_reported[idx] & (C.left[idx] <= day)
    up = C.upper[idx]
    return {
        "site_id": Lookup(C.site[idx], w.S.ids),
        "business_ref": Lookup(idx, C.ref),
        "is_ccus_registered": C.biz[idx] >= 0,
        "upper_business_ref": Lookup(np.where(up >= 0, up, -1), C.ref),
        "tier": C.tier[idx],
        "joined_on": C.join[idx],
        "left_on": np.where(shown, C.left[idx], NA),
        "stamp_exception": C.stamp_exception[idx],
    }
