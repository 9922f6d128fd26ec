"""Everyone who can stand on a roster: the registered workers first, then persons without a CCUS
id (`P` + 8 digits) of registered businesses and of unregistered subcontractors."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from simulator import reference as ref
from simulator.businesses import Businesses
from simulator.codes import NEVER, PER_INS, SOLE
from simulator.contracts import Contracts
from simulator.dates import Calendar
from simulator.params import ScaleParams
from simulator.text import join
from simulator.workers import Workers


@dataclass
class Persons:
    n: int
    n_workers: int
    ref: pa.Array              # registered: worker ids; others P + 8 digits
    occ: np.ndarray
    ins: np.ndarray            # (n, 3) insurance as a check at entry finds it
    key: np.ndarray            # crew pool: business index, or B.n + contract index for an unregistered business
    avail: np.ndarray          # first day the person can be on a roster
    score: np.ndarray          # seniority, to pick foremen
    propensity: np.ndarray     # on a registered site's roster in a month when < site_worker_share

    def registered(self, idx: np.ndarray) -> np.ndarray:
        return idx < self.n_workers


def make_persons(p: ScaleParams, cal: Calendar, B: Businesses, W: Workers, C: Contracts, rng) -> Persons:
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
    p_refs = join("P", pa.array(nums).cast(pa.string()))
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
    score_w = 100 + W.level_a.astype(np.float64) * 10 + np.clip(exp_years, 0, 50) + rng.random(W.n)
    return Persons(
        n=W.n + np_, n_workers=W.n, ref=pa.concat_arrays([W.ids, p_refs]),
        occ=np.r_[W.occ, occ_p].astype(np.int16), ins=np.concatenate([W.ins_a, ins_p]),
        key=np.r_[W.employer, key_p], avail=np.r_[W.reg, np.full(np_, -NEVER)],
        score=np.r_[score_w, rng.random(np_) * 30].astype(np.float32),
        propensity=np.r_[W.propensity, rng.random(np_).astype(np.float32)])
