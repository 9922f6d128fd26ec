"""The construction system of each site (施工体制, site_contracts): the prime (tier 0), tier-1
subcontractors (more on larger contracts), tier 2 and a few tier 3; subcontractors drawn from
specialty companies and sole proprietors of the site's prefecture mostly, some unregistered
(`L` + digits) with a site-dependent propensity. Contracts are delivered when known (up to 14
days before joining), their `left_on` in the delivery after they left; some never report it."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from simulator.businesses import Businesses
from simulator.codes import GENERAL, METHOD, SOLE, SPECIALTY
from simulator.draw import weighted_in_groups
from simulator.sites import Sites
from simulator.text import join, take


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


def _tier(rng, parent_join, parent_left, counts, spread: float, min_len: int, lo_frac: float):
    """Children of each parent contract: joining within the first `spread` of the parent's
    span, staying `lo_frac`..1 of the rest (at least min_len days), never past the parent."""
    parent = np.repeat(np.arange(len(counts)), counts)
    j = parent_join[parent] + np.floor(rng.random(len(parent)) * spread * (parent_left[parent] - parent_join[parent])).astype(np.int64)
    left = np.minimum(parent_left[parent], j + np.maximum(min_len, np.floor(
        (parent_left[parent] - j) * rng.uniform(lo_frac, 1.0, len(parent))).astype(np.int64)))
    return parent, j, left


def make_contracts(S: Sites, B: Businesses, rng) -> Contracts:
    lam = np.clip(0.8 + 1.1 * np.log10(S.amount / 5e7), 0.5, 7.0)
    st, en = S.start, S.end
    dur = en - st + 1
    # tier 1: joins within the first 60 % of the site's period, stays 25-90 % of it (at least 10 days)
    n1 = 1 + rng.poisson(lam)
    s1 = np.repeat(np.arange(S.n), n1)
    j1 = st[s1] + np.floor(rng.random(len(s1)) * 0.6 * dur[s1]).astype(np.int64)
    l1 = np.minimum(en[s1], j1 + np.maximum(10, np.floor(dur[s1] * rng.uniform(0.25, 0.9, len(s1))).astype(np.int64)))
    p2, j2, l2 = _tier(rng, j1, l1, np.minimum(4, rng.poisson(1.1, len(s1))), 0.5, 5, 0.4)
    p3, j3, l3 = _tier(rng, j2, l2, np.minimum(2, rng.poisson(0.15, len(p2))), 0.5, 3, 0.4)

    n0 = S.n
    site = np.r_[np.arange(n0), s1, s1[p2], s1[p2][p3]]
    tier = np.r_[np.zeros(n0, np.int64), np.ones(len(s1), np.int64), np.full(len(p2), 2), np.full(len(p3), 3)]
    join_ = np.r_[st, j1, j2, j3]
    left = np.r_[en, l1, l2, l3]
    o1, o2 = n0, n0 + len(s1)
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
                out[mask] = weighted_in_groups(rng, pool, w, B.pref[pool], want[mask], 5.0)
        return out

    biz = np.full(n, -1, np.int64)
    biz[:n0] = S.prime
    sub = np.arange(n0, n)
    registered = rng.random(len(sub)) >= S.unreg_business[site[sub]] * unreg_factor[sub]
    rows = sub[registered]
    for attempt in range(3):       # redraw a business registered after joining, or twice on one site
        if not len(rows):
            break
        biz[rows] = draw(rows) if attempt < 2 else -1
        key = site * (B.n + 1) + np.where(biz >= 0, biz, B.n)
        _, first = np.unique(key, return_index=True)
        dup = np.ones(n, bool)
        dup[first] = False
        dup &= biz >= 0
        late = (biz >= 0) & (B.reg[np.maximum(biz, 0)] > join_)
        bad = (dup | late)
        bad[:n0] = False                     # primes stay
        rows = np.flatnonzero(bad)

    # canonical order: by site, tier, join; upper indices follow
    order = np.lexsort((np.arange(n), join_, tier, site))
    inv = np.empty(n, np.int64)
    inv[order] = np.arange(n)
    site, tier, join_, left, biz = site[order], tier[order], join_[order], left[order], biz[order]
    upper = np.where(upper[order] >= 0, inv[np.maximum(upper[order], 0)], -1)
    lnum = 1_000_000 + np.cumsum(biz < 0)
    refs = pc.if_else(pa.array(biz >= 0), take(B.ids, np.maximum(biz, 0)), join("L", pa.array(lnum).cast(pa.string())))
    stamp_exc = (tier > 0) & (biz >= 0) & (S.method[site] == METHOD["electronic"]) & (rng.random(n) < 0.06)
    visible = np.maximum(join_ - rng.integers(0, 15, n), S.reg[site])
    return Contracts(n=n, site=site, biz=biz, ref=refs, tier=tier, upper=upper, join=join_, left=left,
                     stamp_exception=stamp_exc, left_reported=rng.random(n) < 0.95, visible=visible)
