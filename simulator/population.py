"""The simulated world's registries, built once per simulation: businesses, workers, sites,
their construction systems and everyone who can stand on a roster."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from simulator import reference as ref
from simulator.businesses import Businesses, draft_businesses, finish_businesses
from simulator.contracts import Contracts, make_contracts
from simulator.curves import Curves, national_curves
from simulator.dates import LAUNCH, Calendar, make_calendar
from simulator.draw import rng
from simulator.params import SCALES, ScaleParams
from simulator.persons import Persons, make_persons
from simulator.sites import Sites, make_sites
from simulator.workers import Workers, make_workers


@dataclass
class Population:
    p: ScaleParams
    seed: int
    cal: Calendar
    curves: Curves
    B: Businesses
    W: Workers
    S: Sites | None = None

    def worker_prefecture(self) -> np.ndarray:
        """Prefecture index (0..46) of each worker: the employer's."""
        return self.B.pref[self.W.employer]


@dataclass
class World(Population):
    C: Contracts | None = None
    Pn: Persons | None = None
    occ_table: pa.Array | None = None      # occupation codes (one object: renderers cache by identity)
    pref_codes: np.ndarray | None = None   # JIS prefecture codes 1..47


def build_population(scale: str | ScaleParams, start: dt.date | None = None, days: int | None = None,
                     seed: int = 42, sites: bool = False) -> Population:
    """Businesses and workers (and the sites when asked) of a scale, without activity or files:
    what the calibration tests read."""
    p = SCALES[scale] if isinstance(scale, str) else scale
    start = start or p.start
    days = int(days or p.days)
    cal = make_calendar(start, days, origin=LAUNCH if p.history else None)
    curves = national_curves(cal.end, p.sole_proprietor_share, p.workers)
    bd = draft_businesses(p, cal, curves, rng(seed, "businesses"))
    W, per_b = make_workers(p, cal, curves, bd, rng(seed, "workers"), rng(seed, "levels"))
    B = finish_businesses(p, cal, bd, per_b)
    popn = Population(p, seed, cal, curves, B, W)
    if sites:
        popn.S = make_sites(p, cal, B, curves, rng(seed, "sites"), rng(seed, "orderers"))
    return popn


def build_world(p: ScaleParams, start: dt.date, days: int, seed: int, popn: Population | None = None) -> World:
    """The whole world: the population, its sites, their construction systems, the persons."""
    popn = popn or build_population(p, start, days, seed)
    S = popn.S or make_sites(p, popn.cal, popn.B, popn.curves, rng(seed, "sites"), rng(seed, "orderers"))
    C = make_contracts(S, popn.B, rng(seed, "contracts"))
    Pn = make_persons(p, popn.cal, popn.B, popn.W, C, rng(seed, "persons"))
    return World(p, seed, popn.cal, popn.curves, popn.B, popn.W, S, C, Pn,
                 pa.array(ref.occupations().codes, pa.string()), ref.prefectures().codes)
