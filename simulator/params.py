"""Per-scale parameters of the simulator: everything that differs between scales lives in one
dataclass; a new scale is one more entry in SCALES. Every scale runs the same engine."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

DEFAULT_START = dt.date(2024, 4, 1)    # first day of fiscal year 2024
NATIONAL_START = dt.date(2025, 10, 1)  # the month of the latest published point (2025-10-31)


@dataclass(frozen=True)
class ScaleParams:
    name: str
    about: str                        # for the help text
    workers: int                      # registered technicians at the period end: the published national
                                      # curve's shape scaled to this many; 0 = the published curve itself
    sites_per_year: int               # new sites a year (sets how many sites overlap the period)
    days: int                         # default number of simulated days
    start: dt.date = DEFAULT_START    # default first simulated day
    history: bool = False             # the first attendance file also carries the work history since
                                      # CCUS's launch (the platform's initial extract), on the sites of the past

    # population
    sole_proprietor_share: float = 0.33       # of businesses at the period end (一人親方)
    general_contractor_share: float = 0.12    # of companies: general contractors, the possible primes
    detailed_share: float = 0.65              # of company technicians: 詳細型 registrations
    unregistered_person_share: float = 0.12   # persons without a CCUS id, relative to a business's registered workers
    public_works_share: float = 0.60          # of sites

    # activity
    site_worker_share: float = 0.4            # of registered workers: on a CCUS site's roster in a month
                                              # (holders of level 3-4 always are)
    touch_floor: float = 0.0                  # full adoption: every site's touch probability at least this
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
    # Samples of the national population (the sample fraction is in simulation.json: 1.2 % for
    # small) with the national rates: new sites a year = 140 000 × the fraction, the same share
    # of workers on CCUS sites; small with the work history since 2019, so that level criteria
    # asking for years of foreman days can be met (tests/test_calibration.py).
    "tiny": ScaleParams("tiny", "60 workers, ≈10 businesses, ≈4 sites, 14 days (no work history before them: "
                        "the end-to-end tests' inbox, every worker on site)", workers=60, sites_per_year=6, days=14,
                        site_worker_share=1.0),
    "small": ScaleParams("small", "20 000 workers, ≈3 600 businesses, ≈3 200 sites, 365 days and the work "
                         "history since 2019", workers=20_000, sites_per_year=1_720, days=365, history=True),
    # Current adoption: registry counts follow the published national curve to the period end
    # (1,749,139 workers and 304,314 businesses on 2025-10-31, ≈100 000 of them sole
    # proprietors); ≈140 000 new sites a year (FY2024: 138,838); ≈5.5 M work-history records a
    # month (FY2024: 60.1 M a year).
    "national": ScaleParams(
        "national", "the published curve: 1.75 M workers, 304 000 businesses, ≈112 000 sites, 31 days",
        workers=0, sites_per_year=140_000, days=31, start=NATIONAL_START, site_worker_share=0.34),
    # Full adoption: every technician registered (3.3 M, registration dates in the published
    # curve's shape), every site on CCUS and almost every day touched: ≈60 M work-history days a
    # month. Businesses and sites scale with the workers.
    "national-full": ScaleParams(
        "national-full", "full adoption: 3.3 M workers, 574 000 businesses, ≈448 000 sites, 31 days",
        workers=3_300_000, sites_per_year=600_000, days=31, start=NATIONAL_START, site_worker_share=1.0,
        touch_floor=0.985, unregistered_person_share=0.02, absence_rate=0.03),
}
