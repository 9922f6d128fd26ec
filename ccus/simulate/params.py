"""Per-scale parameters of the simulator: everything that differs between scales lives in one
dataclass; a new scale is one more entry in SCALES."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

DEFAULT_START = dt.date(2024, 4, 1)   # first day of fiscal year 2024


@dataclass(frozen=True)
class ScaleParams:
    name: str
    workers: int                      # registered technicians (as of the last simulated day)
    businesses: int                   # registered businesses, sole proprietors included
    sites: int                        # registered sites overlapping the period
    days: int                         # default number of simulated days
    start: dt.date = DEFAULT_START    # default first simulated day

    # population
    sole_proprietor_share: float = 0.35       # of businesses (一人親方)
    general_contractor_share: float = 0.12    # of companies: general contractors, the possible primes
    dormant_business_share: float = 0.06      # of companies: registered, no registered workers, no work
    detailed_share: float = 0.65              # of workers: 詳細型 registrations
    skilled_share: float = 0.12               # of detailed registrations: level 2-4 (≈7.8 % of all)
    unregistered_person_share: float = 0.12   # persons without a CCUS id, relative to a crew's registered members
    public_works_share: float = 0.60          # of sites

    # activity
    absence_rate: float = 0.05                # a crew member is off on a working day
    late_share: float = 0.06                  # attendance records received 1-10 days late (before the method mix)
    duplicate_touch_share: float = 0.02       # second touch of the same worker/site/day
    missing_exit_share: float = 0.03          # no exit recorded
    no_roster_share: float = 0.004            # work-history records with no roster row
    wage_survey_share: float = 0.7            # association members that answer the payroll survey

    # deliberately bad rows (quarantine)
    bad_row_rate: float = 1e-4                # of roster and attendance rows, split over the kinds; at least 1 each
    registry_bad_rows: int = 1                # per kind and registry feed


SCALES: dict[str, ScaleParams] = {
    "tiny": ScaleParams("tiny", workers=60, businesses=15, sites=4, days=14),
    "small": ScaleParams("small", workers=20_000, businesses=2_800, sites=1_000, days=365),
    # Extension point: a "national" scale (≈1.75 M workers, ≈300 000 businesses, ≈60 000 sites)
    # is one more entry here. It would also need the activity to be generated and written
    # month by month (the engagement expansion in activity.py holds a whole period in memory),
    # so it is deliberately not offered yet.
}
