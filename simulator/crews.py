"""A month of crews: who is on which contract's crew, in which role, checked how at entry and
admitted or not, and which days each site works.

Each month a share of the registered workers (`site_worker_share`, by a fixed propensity) and
the persons without a CCUS id join a crew of one of their employer's contracts active that
month; when that contract covers only part of the month they spend the days before and after it
on other contracts of the employer (people move between sites): at most three crews a month.
Per crew the most senior lead: a foreman (職長) per squad of up to 8, subforemen (班長).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.codes import CHECK, PER_INS, ROLE
from simulator.draw import row_choice, rng as stream
from simulator.population import World

SQUAD = 8          # crew members led by one foreman


@dataclass
class Crews:
    """Who is on which contract's crew in one month, sorted as the rosters list them."""
    first: int
    last: int
    person: np.ndarray
    contract: np.ndarray
    site: np.ndarray
    start: np.ndarray
    end: np.ndarray
    role: np.ndarray
    check: np.ndarray
    ins: np.ndarray
    admitted: np.ndarray
    exit_offset: np.ndarray    # seconds, personal habit (foremen stay later)
    registered: np.ndarray
    open_: np.ndarray          # (sites, days of the month)


def _roles(person: np.ndarray, contract: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Per crew, by seniority: a foreman (職長) per squad of up to SQUAD, then a subforeman (班長)
    per 6 of the others, the rest general."""
    n = len(person)
    order = np.lexsort((-score[person], contract))
    sorted_c = contract[order]
    firsts = np.r_[0, np.flatnonzero(np.diff(sorted_c)) + 1] if n else np.zeros(0, np.int64)
    sizes = np.diff(np.r_[firsts, n])
    rank = np.arange(n) - np.repeat(firsts, sizes)
    size_of = np.repeat(sizes, sizes)
    foremen = -(-size_of // SQUAD)
    role_sorted = np.where(rank < foremen, ROLE["foreman"],
                           np.where(rank < foremen + (size_of - foremen) // 6, ROLE["subforeman"], ROLE["general"]))
    role = np.empty(n, dtype=np.int8)
    role[order] = role_sorted
    return role


def open_days(w: World, first: int, last: int, gen) -> np.ndarray:
    """open[site, day of the month]: the site works that day."""
    S, cal = w.S, w.cal
    di = np.arange(first, last + 1) - cal.origin
    dow, hol = cal.dow[di], cal.holiday[di]
    sat, sun = (dow == 5) & ~hol, dow == 6
    hol_only = hol & ~sun
    prob = np.full((S.n, len(di)), 0.97, np.float32)
    prob[:, sat] = S.sat_open[:, None]
    prob[:, sun] = S.sun_open[:, None]
    prob[:, hol_only] = S.hol_open[:, None]
    prob[:, cal.year_end_obon[di]] = 0.0
    period = np.arange(first, last + 1)
    inside = (period[None, :] >= S.start[:, None]) & (period[None, :] <= S.end[:, None])
    return inside & (gen.random((S.n, len(di)), dtype=np.float32) < prob)


def month_crews(w: World, first: int, last: int) -> Crews:
    p, B, S, C, Pn = w.p, w.B, w.S, w.C, w.Pn
    gen = stream(w.seed, "month", first)
    ckey = np.where(C.biz >= 0, C.biz, B.n + np.arange(C.n))
    active = np.flatnonzero((C.join <= last) & (C.left >= first))
    active = active[np.lexsort((active, ckey[active]))]
    akeys = ckey[active]
    eligible = np.flatnonzero((Pn.propensity < p.site_worker_share) & (Pn.avail <= last))
    k = Pn.key[eligible]
    lo = np.searchsorted(akeys, k, "left")
    cnt = np.searchsorted(akeys, k, "right") - lo
    has = cnt > 0
    person, lo, cnt = eligible[has], lo[has], cnt[has]
    contract = active[lo + np.floor(gen.random(len(person)) * cnt).astype(np.int64)]
    start = np.maximum(np.maximum(C.join[contract], first), Pn.avail[person])
    end = np.minimum(C.left[contract], last)
    ok = start <= end
    m_lo = np.maximum(first, Pn.avail[person])
    parts = [(person[ok], contract[ok], start[ok], end[ok])]
    for seg_lo, seg_hi in ((end + 1, np.full(len(person), last)), (m_lo, start - 1)):
        c2 = active[lo + np.floor(gen.random(len(person)) * cnt).astype(np.int64)]
        start2 = np.maximum(seg_lo, C.join[c2])
        end2 = np.minimum(seg_hi, C.left[c2])
        ok2 = ok & (start2 <= end2) & (c2 != contract)
        parts.append((person[ok2], c2[ok2], start2[ok2], end2[ok2]))
    person, contract, start, end = (np.concatenate(x) for x in zip(*parts))
    n = len(person)
    site = C.site[contract]
    role = _roles(person, contract, Pn.score)

    # insurance check at entry and admission: strict sites refuse most persons without verified insurance
    reg = Pn.registered(person)
    check = np.where(reg, row_choice(gen, S.check_probs[site]) if n else np.zeros(0, np.int64),
                     np.where(gen.random(n) < 0.94, CHECK["document"], CHECK["none"])).astype(np.int8)
    ins = np.where((check == CHECK["none"])[:, None], PER_INS["unknown"], Pn.ins[person]).astype(np.int8)
    violation = ((ins == PER_INS["not_enrolled"]) | (ins == PER_INS["unknown"])).any(axis=1)
    admitted = ~(violation & S.strict[site] & (gen.random(n) < 0.8))
    end = np.where(admitted, end, start)            # refused at the gate: one roster day
    exit_offset = (gen.normal(0, 900, n) + 1500 * (role == ROLE["foreman"])).astype(np.float32)
    open_ = open_days(w, first, last, gen)

    o = np.lexsort((person, role, contract, site))
    return Crews(first, last, person[o], contract[o], site[o], start[o], end[o], role[o], check[o], ins[o],
                 admitted[o], exit_offset[o], reg[o], open_)
