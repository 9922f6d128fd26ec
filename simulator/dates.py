"""Days as integers: day numbers are days since 1970-01-01, timestamps seconds since 1970-01-01
on the Japan wall clock. The calendar of a simulated period (holidays from the `holidays`
library) and its registry delivery days."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import holidays as holidays_lib
import numpy as np

EPOCH = dt.date(1970, 1, 1)
NA = np.iinfo(np.int64).min        # null for day numbers, timestamps and integers
LAUNCH = int(np.datetime64("2019-04-01", "D").astype(np.int64))   # CCUS went live on 2019-04-01


def day_of(d: dt.date) -> int:
    return (d - EPOCH).days


def date_of(day: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(day))


def month_of(days: np.ndarray) -> np.ndarray:
    """Months since 1970-01 of day numbers."""
    return np.asarray(days, dtype=np.int64).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)


def month_start(month: int) -> int:
    return int(np.datetime64(int(month), "M").astype("datetime64[D]").astype(np.int64))


@dataclass
class Calendar:
    d0: int                    # first day of the period
    days: int
    origin: int                # first day of the day arrays below (<= d0: the work history before the period)
    deliveries: np.ndarray     # registry delivery days: the start, the 1st of each later month, the last day
    dow: np.ndarray            # per day from origin, 0 = Monday
    holiday: np.ndarray        # national holiday (holidays library)
    year_end_obon: np.ndarray  # 29 Dec - 3 Jan and 13-15 Aug

    @property
    def end(self) -> int:
        return self.d0 + self.days - 1

    @property
    def end_date(self) -> dt.date:
        return date_of(self.end)

    @property
    def period(self) -> np.ndarray:
        return np.arange(self.d0, self.d0 + self.days)

    def months(self, first: int | None = None, last: int | None = None) -> list[tuple[int, int]]:
        """(first, last) day of each calendar month from `first` to `last` (default: the period)."""
        period = np.arange(self.d0 if first is None else first, (self.end if last is None else last) + 1)
        if not len(period):
            return []
        m = month_of(period)
        bounds = np.r_[0, np.flatnonzero(np.diff(m)) + 1, len(period)]
        return [(int(period[a]), int(period[b - 1])) for a, b in zip(bounds[:-1], bounds[1:])]


def make_calendar(start: dt.date, days: int, origin: int | None = None) -> Calendar:
    """The calendar of `days` days from `start`. Its day arrays (dow, holiday, ...) begin at day
    `origin` (default: the start), so that days before the period (the work history) have them too."""
    d0 = day_of(start)
    lo = min(d0, origin) if origin is not None else d0
    period = np.arange(lo, d0 + days)
    years = range(date_of(period[0]).year, date_of(period[-1]).year + 1)
    jp = holidays_lib.country_holidays("JP", years=years)
    hol_days = np.array(sorted(day_of(d) for d in jp.keys()), dtype=np.int64)
    holiday = np.isin(period, hol_days)
    md = period.astype("datetime64[D]")
    month = (md.astype("datetime64[M]").astype(np.int64) % 12) + 1
    dom = (md - md.astype("datetime64[M]")).astype(np.int64) + 1
    year_end_obon = ((month == 12) & (dom >= 29)) | ((month == 1) & (dom <= 3)) | ((month == 8) & (dom >= 13) & (dom <= 15))
    last = d0 + days - 1
    firsts = [month_start(m) for m in range(int(month_of(np.array([d0]))[0]) + 1, int(month_of(np.array([last]))[0]) + 1)]
    deliveries = np.unique(np.array([d0, *[f for f in firsts if d0 < f <= last], last], dtype=np.int64))
    return Calendar(d0, days, lo, deliveries, (period + 3) % 7, holiday, year_end_obon)
