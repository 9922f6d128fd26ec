"""The published national series as the curves the population is drawn from.

Registrations follow the published series (seed published_registrations): workers and
businesses registered by the end of the period are the series at that day (linear between
points, the last slope after the last point), and every registration date is drawn from the
series, so the simulated cumulative curve passes through every published point. Companies and
sole proprietors have curves of their own: companies are 78 % of businesses on 2020-12-31 (the
published point that excludes sole proprietors), sole proprietors `sole_share` by the end.

A scale with `workers` set keeps the curve's shape, scaled to that many workers at the end: the
sample's fraction of the national population is that factor.
"""
from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from simulator import reference as ref
from simulator.dates import LAUNCH, day_of


@dataclass
class Curves:
    knots: np.ndarray        # days, LAUNCH .. end
    workers: np.ndarray      # cumulative registered workers at each knot
    companies: np.ndarray    # businesses other than sole proprietors
    sole: np.ndarray         # sole proprietors (一人親方)
    factor: float            # scale applied to the published series (1.0 = the published curve)

    @property
    def sample_fraction(self) -> float:
        """The simulated population's share of the national one the curve stands for: the
        published series, or for full adoption its shape scaled up (then 1.0)."""
        return float(self.factor) if self.factor < 1.0 else 1.0

    @property
    def businesses(self) -> np.ndarray:
        return self.companies + self.sole

    @property
    def company_workers(self) -> np.ndarray:
        return np.maximum.accumulate(np.maximum(self.workers - self.sole, 0.0))


def interp_ext(x, xs, ys) -> np.ndarray:
    """Linear interpolation, the last segment's slope beyond the last point."""
    x = np.asarray(x, float)
    out = np.interp(x, xs, ys)
    slope = (ys[-1] - ys[-2]) / (xs[-1] - xs[-2])
    return np.where(x > xs[-1], ys[-1] + slope * (x - xs[-1]), out)


def national_curves(end_day: int, sole_share: float, workers: int = 0) -> Curves:
    """The curves up to `end_day`; `workers` > 0 scales them to that many workers at the end."""
    pts = ref.published_points()
    incl = [p for p in pts if p.basis == "incl_sole_proprietors"]
    excl = [p for p in pts if p.basis == "excl_sole_proprietors"]
    wd = np.array([LAUNCH] + [day_of(p.as_of) for p in pts], float)
    wv = np.array([0.0] + [p.workers for p in pts])
    bd = np.array([LAUNCH] + [day_of(p.as_of) for p in incl], float)
    bv = np.array([0.0] + [p.businesses for p in incl])
    knots = np.unique(np.r_[wd, bd, end_day])
    knots = knots[knots <= end_day]
    W = interp_ext(knots, wd, wv)
    B = interp_ext(knots, bd, bv)
    r_end = 1.0 - sole_share
    if excl:
        tx = day_of(excl[0].as_of)
        r0 = min(0.98, excl[0].businesses / float(interp_ext([tx], bd, bv)[0]))
        if end_day > tx:
            r = r0 + (r_end - r0) * np.clip((knots - tx) / (end_day - tx), 0.0, 1.0)
        else:
            r = np.full(len(knots), r0)
    else:
        r = np.full(len(knots), r_end)
    C = np.maximum.accumulate(r * B)
    S = np.maximum.accumulate(np.maximum(B - C, 0.0))
    factor = workers / W[-1] if workers else 1.0
    return Curves(knots, W * factor, C * factor, S * factor, factor)


DURATION_MEDIAN, DURATION_SIGMA = 300.0, 0.6     # site durations: log-normal days, 45..1100


def expected_over(days: int) -> float:
    """E[1 / (days + dur - 1)] for the site durations (to turn new sites a year into sites overlapping)."""
    z = np.array([NormalDist().inv_cdf((i + 0.5) / 400) for i in range(400)])
    dur = np.clip(np.exp(np.log(DURATION_MEDIAN) + DURATION_SIGMA * z), 45, 1100)
    return float(np.mean(1.0 / (days + dur - 1)))


def sites_overlapping(sites_per_year: float, days: int) -> int:
    """Sites that overlap a period of `days` days when `sites_per_year` start every year."""
    return int(round(sites_per_year / 365 / expected_over(days)))
