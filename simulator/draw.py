"""Random draws shared by every part of the simulated world, all vectorised.

Every component draws from a generator of its own, derived from the one seed
(`SeedSequence(seed, spawn_key=(stream, *key))`): a change in one component does not reshuffle
the others, and a month, day or file can be generated in any order.
"""
from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from simulator.dates import NA, Calendar

STREAMS = ("businesses", "workers", "levels", "sites", "contracts", "persons", "month", "day", "files",
           "wages", "kentaikyo", "names", "orderers")


def rng(seed: int, stream: str, *key: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(
        seed, spawn_key=(1000 + STREAMS.index(stream), *[int(k) for k in key]))))


def unique_ids(gen: np.random.Generator, n: int, zero_share: float = 0.5) -> np.ndarray:
    """n distinct 14-digit numbers; about `zero_share` of them start with 0."""
    out = np.empty(0, dtype=np.int64)
    while len(out) < n:
        m = n - len(out) + n // 8 + 16
        first = np.where(gen.random(m) < zero_share, 0, gen.integers(1, 10, m))
        v = first * 10 ** 13 + gen.integers(0, 10 ** 13, m)
        v = np.concatenate([out, v])
        _, idx = np.unique(v, return_index=True)
        out = v[np.sort(idx)]
    return out[:n]


def id_strings(nums: np.ndarray) -> pa.Array:
    return pc.utf8_lpad(pa.array(np.asarray(nums, dtype=np.int64)).cast(pa.string()), 14, "0")


def choice_idx(gen, probs: np.ndarray, n: int) -> np.ndarray:
    """n draws of an index with the given probabilities (vectorised inverse CDF)."""
    cum = np.cumsum(probs / probs.sum())
    return np.minimum(np.searchsorted(cum, gen.random(n), side="right"), len(probs) - 1)


def row_choice(gen, probs: np.ndarray) -> np.ndarray:
    """One draw per row of a (rows, k) probability matrix."""
    cum = np.cumsum(probs / probs.sum(axis=1, keepdims=True), axis=1)
    u = gen.random(len(probs))[:, None]
    return np.minimum((u > cum).sum(axis=1), probs.shape[1] - 1)


def first_delivery(cal: Calendar, days: np.ndarray) -> np.ndarray:
    """Index of the first registry delivery on or after each day."""
    return np.searchsorted(cal.deliveries, days, side="left")


def created_stamp(gen, reg: np.ndarray, cal: Calendar) -> np.ndarray:
    """updated_at of an entity's first row: some time after registration, no later than the
    day of the delivery that carries it."""
    k = first_delivery(cal, reg)
    limit = cal.deliveries[np.minimum(k, len(cal.deliveries) - 1)]
    span = np.minimum(limit - reg, 45)
    day = reg + np.floor(gen.random(len(reg)) * (span + 1)).astype(np.int64)
    return day * 86400 + gen.integers(8 * 3600, 20 * 3600, len(reg))



def event_days(gen, lo: np.ndarray, hi: int) -> np.ndarray:
    """A day in [lo, hi] (NA where empty)."""
    lo = np.asarray(lo, dtype=np.int64)
    span = hi - lo
    out = lo + np.floor(gen.random(len(lo)) * (span + 1)).astype(np.int64)
    return np.where(span >= 0, out, NA)


def update_stamps(gen, upd: np.ndarray) -> np.ndarray:
    """updated_at of an in-period update on day `upd` (NA: none)."""
    n = len(upd)
    return np.where(upd != NA, np.where(upd == NA, 0, upd) * 86400 + gen.integers(9 * 3600, 18 * 3600, n), NA)


def sample_curve(gen, n: int, knots: np.ndarray, cum: np.ndarray, launch: int) -> np.ndarray:
    """n registration days distributed as the cumulative curve (inverse CDF, linear between knots)."""
    if n == 0:
        return np.zeros(0, np.int64)
    u = gen.random(n) * cum[-1]
    return np.floor(np.interp(u, cum, knots)).astype(np.int64).clip(launch, int(knots[-1]))


def weighted_in_groups(gen, pool: np.ndarray, weights: np.ndarray, groups: np.ndarray, want_group: np.ndarray,
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
    same = gen.random(n_req) < q[want_group]
    lo = np.where(same, lo_g[want_group], 0)
    hi = np.where(same, hi_g[want_group], len(pool))
    target = cw[lo] + gen.random(n_req) * (cw[hi] - cw[lo])
    pos = np.clip(np.searchsorted(cw, target, "right") - 1, lo, np.maximum(hi - 1, lo))
    return pool[np.minimum(pos, len(pool) - 1)]
