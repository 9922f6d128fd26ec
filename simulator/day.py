"""One work day: the roster (everyone of the month's crews on an open site, absences drawn) and
the work-history records the card readers and apps produce (attendance): per registered,
admitted roster day a record with the site's touch probability; entry 07:00-09:00, exit by the
site's profile (heavy-overtime sites to 22:00); missing exits; duplicate touches; records with
no roster row; the input method by card-reader presence; some received 1-10 days late."""
from __future__ import annotations

import numpy as np

from simulator.codes import INPUT, ROLE
from simulator.crews import Crews, month_crews
from simulator.dates import LAUNCH, NA
from simulator.draw import rng as stream
from simulator.population import World


def _probs(mapping: dict[str, float], codes: dict[str, int]) -> np.ndarray:
    out = np.zeros(len(codes))
    for code, pr in mapping.items():
        out[codes[code]] = pr
    return out


# input-method mix with and without a card reader on site; lateness of each method
METHODS_WITH_READER = _probs({"card_reader": 0.70, "face_recognition": 0.10, "smartphone_app": 0.08,
                              "worker_direct": 0.04, "employer_proxy": 0.05, "api": 0.03}, INPUT)
METHODS_WITHOUT_READER = _probs({"face_recognition": 0.15, "smartphone_app": 0.42, "worker_direct": 0.15,
                                 "employer_proxy": 0.18, "api": 0.10}, INPUT)
LATE_FACTOR = _probs({"card_reader": 0.5, "face_recognition": 0.5, "smartphone_app": 1.0,
                      "worker_direct": 2.0, "employer_proxy": 4.0, "api": 1.5}, INPUT)


def input_methods(gen, reader_on: np.ndarray) -> np.ndarray:
    """The input method of each record: mostly card readers where the site has one, else by hand or app."""
    u = gen.random(len(reader_on))
    method = np.where(reader_on, np.searchsorted(np.cumsum(METHODS_WITH_READER), u, side="right"),
                      np.searchsorted(np.cumsum(METHODS_WITHOUT_READER), u, side="right"))
    return np.minimum(method, len(INPUT) - 1)


def duplicate_touches(gen, entered: np.ndarray, exited: np.ndarray, share: float):
    """Second touches for a share of the records: a double touch at the gate, or out at lunch and
    back in (then the first touch's exit moves before the second entry: `exited` changes in
    place). Returns the records touched twice and their second entries and exits."""
    dup = np.flatnonzero(gen.random(len(entered)) < share)
    gate = gen.random(len(dup)) < 0.5
    d_entered = np.where(gate, entered[dup] + gen.integers(5, 180, len(dup)),
                         entered[dup] + gen.integers(3 * 3600, 4 * 3600 + 1800, len(dup)))
    d_exited = exited[dup].copy()
    back = ~gate & (d_exited != NA) & (d_entered < d_exited - 1800)
    exited[dup[back]] = d_entered[back] - gen.integers(1200, 3600, int(back.sum()))
    d_entered = np.where(~gate & ~back, entered[dup] + 90, d_entered)
    return dup, d_entered, d_exited


def accumulators(w: World, K: Crews) -> dict:
    """Per crew row (engagement) counters of the month, and each worker's first and last site."""
    n = len(K.person)
    site_a = np.full(w.W.n, -1, np.int64)
    site_b = np.full(w.W.n, -1, np.int64)
    reg = np.flatnonzero(K.registered)
    site_b[K.person[reg]] = K.site[reg]            # the last and the first of a worker's crews
    site_a[K.person[reg[::-1]]] = K.site[reg[::-1]]  # (a colleague's "no roster" record avoids both)
    return {"ro_days": np.zeros(n, np.int16), "wh_days": np.zeros(n, np.int16), "fdays": np.zeros(n, np.int16),
            "ot": np.zeros(n, np.float32), "hol": np.zeros(n, np.float32), "site_a": site_a, "site_b": site_b}


def work_day(w: World, K: Crews, d: int, acc: dict) -> tuple[np.ndarray, dict]:
    """Roster rows (indices into the crews) and the work-history records of work day d; the
    month's counters (roster days, hours, work-history days per crew row) grow in `acc`."""
    p, S, W, cal = w.p, w.S, w.W, w.cal
    gen = stream(w.seed, "day", d)
    di = d - K.first
    on = (K.start <= d) & (K.end >= d)
    cand = np.flatnonzero(on)
    cand = cand[K.open_[K.site[cand], di]]
    saturday = cal.dow[d - cal.origin] == 5
    present = gen.random(len(cand)) >= p.absence_rate + 0.15 * saturday
    roster = cand[present | ~K.admitted[cand]]      # a person refused at the gate is listed that day

    worked = roster[K.registered[roster] & K.admitted[roster]]
    worker, site = K.person[worked], K.site[worked]
    n = len(worked)
    entry_sod = np.clip(S.entry_mean[site] + gen.normal(0, 600, n), 7 * 3600, 8 * 3600 + 59 * 60).astype(np.int64)
    exit_sod = S.exit_mean[site] + K.exit_offset[worked] + gen.normal(0, 1200, n) - 3600 * saturday
    exit_sod = np.clip(exit_sod, 16 * 3600 + 30 * 60, S.exit_cap[site]).astype(np.int64)
    # hours for wages (every registered, admitted roster day)
    holiday_day = bool(cal.dow[d - cal.origin] == 6 or cal.holiday[d - cal.origin])
    on_site = (exit_sod - entry_sod) / 3600.0
    hours = on_site - np.where(on_site > 8, 1.0, np.where(on_site > 6, 0.75, 0.0))
    acc["ro_days"][worked] += 1
    if holiday_day:
        acc["hol"][worked] += hours
    else:
        acc["ot"][worked] += np.maximum(0.0, hours - 8)
    acc["fdays"][worked] += K.role[worked] == ROLE["foreman"]

    touched = gen.random(n) < np.minimum(S.touch[site] * W.touch_factor[worker], 0.99)
    t = np.flatnonzero(touched)
    worked, worker, site = worked[t], worker[t], site[t]
    acc["wh_days"][worked] += 1
    entered = d * 86400 + entry_sod[t]
    exited = d * 86400 + exit_sod[t]
    m = len(t)
    exited[gen.random(m) < p.missing_exit_share] = NA
    reader_on = S.reader_from[site] <= d
    method = input_methods(gen, reader_on).astype(np.int8)
    role = K.role[worked]
    dup, d_entered, d_exited = duplicate_touches(gen, entered, exited, p.duplicate_touch_share)

    # records with no roster row: a colleague of the same employer, not on this site this month
    nr = np.flatnonzero(gen.random(m) < p.no_roster_share)
    emp = W.employer[worker[nr]]
    lo = np.searchsorted(W.employer, emp, "left")
    cnt = np.searchsorted(W.employer, emp, "right") - lo
    other = lo + np.floor(gen.random(len(nr)) * cnt).astype(np.int64)
    ok = (other != worker[nr]) & (W.reg[other] <= d) & (acc["site_a"][other] != site[nr]) \
        & (acc["site_b"][other] != site[nr])
    nr, other = nr[ok], other[ok]

    a_site = np.r_[site, site[dup], site[nr]]
    a_worker = np.r_[worker, worker[dup], other]
    a_entered = np.r_[entered, d_entered, entered[nr] + gen.integers(-300, 300, len(nr))]
    a_exited = np.r_[exited, d_exited, exited[nr]]
    a_role = np.r_[role, role[dup], np.full(len(nr), ROLE["general"], np.int8)]
    a_method = np.r_[method, method[dup], method[nr]]
    k = len(a_site)
    # reception: most the same day after the exit, some 1-10 days late
    late = gen.random(k) < p.late_share * LATE_FACTOR[a_method]
    delay = 1 + np.minimum(gen.geometric(0.3, k) - 1, 9)
    recv_day = np.minimum(d + np.where(late, delay, 0), cal.end)
    base = np.where(a_exited != NA, a_exited, a_entered + 4 * 3600)
    same = np.minimum(base + gen.integers(60, 5400, k), d * 86400 + 86399)
    later = recv_day * 86400 + gen.integers(6 * 3600, 23 * 3600, k)
    recv = np.where(recv_day > d, later, same)
    dup_pos = np.arange(m, m + len(dup))
    recv[dup_pos] = np.minimum(np.maximum(recv[dup], recv[dup_pos]) + gen.integers(1, 60, len(dup)),
                               recv_day[dup_pos] * 86400 + 86399)
    rid = (d - LAUNCH) * 100_000_000 + np.cumsum(gen.integers(1, 8, k))
    return roster, {"site": a_site, "worker": a_worker, "day": np.full(k, d, np.int64), "entered": a_entered,
                    "exited": a_exited, "role": a_role, "method": a_method, "recv": recv, "rid": rid,
                    "recv_day": recv_day}


def run_days(w: World, first: int, last: int):
    """Every work day from `first` to `last`, month by month: yields (crews of the month, the
    month's counters, day, roster rows, work-history records, whether it is the month's last day)."""
    for m_first, m_last in w.cal.months(first, last):
        K = month_crews(w, m_first, m_last)
        acc = accumulators(w, K)
        for d in range(m_first, m_last + 1):
            roster, att = work_day(w, K, d, acc)
            yield K, acc, d, roster, att, d == m_last


class Pending:
    """Attendance records waiting for the file of their receipt day."""

    def __init__(self):
        self.cols: dict = {}

    def add(self, cols: dict, mask: np.ndarray) -> None:
        for k, v in cols.items():
            part = v[mask]
            self.cols[k] = np.concatenate([self.cols[k], part]) if k in self.cols else part

    def pop(self, day: int) -> dict:
        if not self.cols:
            return {}
        mask = self.cols["recv_day"] == day
        out = {k: v[mask] for k, v in self.cols.items()}
        self.cols = {k: v[~mask] for k, v in self.cols.items()}
        return out

    def pop_all(self) -> dict:
        out, self.cols = self.cols, {}
        return out
