"""simulate(): build the world, then write every feed file of the inbox (feeds.md)."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa

from ccus.feeds.contract import ATTENDANCE, BUSINESSES, FEEDS, KENTAIKYO, ROSTERS, SITE_CONTRACTS, SITES, WAGES, WORKERS
from ccus.simulate import activity as act
from ccus.simulate import population as pop
from ccus.simulate import reference as ref
from ccus.simulate.params import SCALES, ScaleParams
from ccus.simulate.render import (
    NA, BadRow, Lookup, Stamps, Style, bool_word, constant, drop_first_char, february_30, hour_before, shift_date,
    write_file,
)

# Streams of the random generator, one per component, so a change in one component does not
# reshuffle the others. All derive from the one seed: numpy Generator(PCG64(seed, stream)).
STREAMS = ("businesses", "workers", "sites", "contracts", "persons", "engagements", "calendar", "roster",
           "attendance", "wages", "kentaikyo", "files")


def _rng(seed: int, stream: str) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(STREAMS.index(stream),))))


# --------------------------------------------------------------------------------------------
# file styles: the variety feeds.md allows, spread deterministically over the files
# --------------------------------------------------------------------------------------------
def registry_style(delivery: int, feed_no: int) -> Style:
    """Registry exports: CP932, CRLF, Japanese headers (as Japanese desktop tools write them)."""
    i = delivery + feed_no
    return Style(encoding="cp932", eol="\r\n", header="ja", date_sep="/" if i % 2 == 0 else "-",
                 tz="" if i % 3 != 1 else "+09:00", enums="ja" if i % 2 == 0 else "code",
                 bools="hai" if i % 3 != 2 else "10", quoting="all_valid" if i % 4 == 3 else "none")


def roster_style(i: int) -> Style:
    if i % 7 == 3:      # about 1 in 7: a site office's spreadsheet export
        return Style(encoding="cp932", eol="\r\n", header="ja", date_sep="/", enums="ja", bools="hai")
    if i % 5 == 1:
        return Style(encoding="utf-8-sig", date_sep="/", bools="10", quoting="all_valid")
    if i % 11 == 7:
        return Style(header="ja", enums="ja")
    return Style(shuffle_columns=i % 13 == 5)


def attendance_style(i: int, day: dt.date) -> Style:
    if day.weekday() == 6 or i % 10 == 6:   # Sundays' and some other deliveries come as JSON Lines
        return Style(fmt="jsonl", tz="" if i % 4 == 1 else "+09:00")
    bom = i % 6 == 2
    return Style(encoding="utf-8-sig" if bom else "utf-8", eol="\r\n" if bom else "\n", header="ja" if bom else "en",
                 tz="" if i % 4 == 1 else "+09:00", date_sep="/" if i % 3 == 0 else "-",
                 enums="ja" if i % 9 == 4 else "code", shuffle_columns=i % 8 == 5)


def monthly_style(i: int) -> Style:
    if i % 3 == 0:
        return Style(encoding="cp932", eol="\r\n", header="ja", enums="ja")
    return Style()


# --------------------------------------------------------------------------------------------
# summary
# --------------------------------------------------------------------------------------------
@dataclass
class Summary:
    out: Path
    files: list[str] = field(default_factory=list)
    rows: Counter = field(default_factory=Counter)
    bad: Counter = field(default_factory=Counter)
    bad_by_feed: dict[str, Counter] = field(default_factory=dict)
    encodings: Counter = field(default_factory=Counter)
    formats: Counter = field(default_factory=Counter)

    def add(self, feed: str, written) -> None:
        self.files.append(written.path.relative_to(self.out).as_posix())
        self.rows[feed] += written.rows
        self.encodings[written.encoding] += 1
        self.formats[written.fmt] += 1
        for kind, k in written.bad.items():
            self.bad[kind] += k
            self.bad_by_feed.setdefault(feed, Counter())[kind] += k


def _fname(feed: str, day: int | dt.date, ext: str = "csv") -> str:
    d = day if isinstance(day, dt.date) else pop.date_of(day)
    return f"{feed}/{feed}_{d:%Y%m%d}.{ext}"


# --------------------------------------------------------------------------------------------
# bad rows
# --------------------------------------------------------------------------------------------
class Fresh:
    """Ids used only by deliberately bad rows (so they cannot collide with good rows' keys)."""

    def __init__(self):
        self.n = 0

    def __call__(self, template: str) -> str:
        self.n += 1
        return template.format(self.n)


def plan_bad(rng, rows: list[int], fmts: list[str], kinds: tuple[str, ...], rate: float) -> dict[int, list]:
    """Spread bad rows of each kind over the files, by size: file index -> [(kind, base row)]."""
    plan: dict[int, list] = {}
    rows_a = np.array(rows, dtype=float)
    total = int(rows_a.sum())
    if total == 0:
        return plan
    n_bad = max(len(kinds), int(round(rate * total)))
    for j, kind in enumerate(kinds):
        k = max(1, n_bad // len(kinds) + (1 if j < n_bad % len(kinds) else 0))
        need = {"field_count": "csv", "malformed_json": "jsonl"}.get(kind)
        w = rows_a * np.array([need is None or f == need for f in fmts])
        if w.sum() == 0:
            continue
        files = rng.choice(len(rows), size=k, p=w / w.sum())
        for f in files.tolist():
            plan.setdefault(f, []).append((kind, int(rng.integers(0, rows[f]))))
    return plan


ROSTER_BAD = ("bad_id", "bad_enum", "work_date_mismatch", "field_count")
ATTENDANCE_BAD = ("bad_id", "bad_date", "bad_enum", "exit_before_entry", "field_count", "malformed_json")


def roster_bad_row(kind: str, base: int, fresh: Fresh) -> BadRow:
    if kind == "bad_id":        # a 13-digit site id
        return BadRow(kind, base, {"site_id": drop_first_char("site_id")})
    person = {"person_ref": constant(fresh("P9{:07d}")), "is_ccus_registered": bool_word(False)}
    if kind == "bad_enum":
        return BadRow(kind, base, {"role": constant("leader"), **person})
    if kind == "work_date_mismatch":
        return BadRow(kind, base, {"work_date": shift_date("work_date", -1), **person})
    return BadRow(kind, base)


def attendance_bad_row(kind: str, base: int, fresh: Fresh) -> BadRow:
    rid = {"record_id": constant(fresh("WE{:010d}"))}
    if kind == "bad_id":        # a 13-digit worker id
        return BadRow(kind, base, {"worker_id": drop_first_char("worker_id"), **rid})
    if kind == "bad_date":      # e.g. 2024-02-30
        return BadRow(kind, base, {"work_date": february_30("work_date"), **rid})
    if kind == "bad_enum":
        return BadRow(kind, base, {"input_method": constant("fax"), **rid})
    if kind == "exit_before_entry":
        return BadRow(kind, base, {"exited_at": hour_before("entered_at"), **rid})
    return BadRow(kind, base)


def registry_bad_rows(feed, count: int, n_rows: int, rng: np.random.Generator, spare_ids: dict,
                      fresh_ref) -> list[BadRow]:
    """`count` rows of each bad kind for a registry delivery of `n_rows` rows (both engines), each
    with a key of its own: unused ids from `spare_ids` (feed name -> ids), `fresh_ref(i)` an
    L-reference that no business holds."""
    if n_rows == 0:
        return []
    out = []
    for i in range(count):
        base = int(rng.integers(0, n_rows))
        if feed is BUSINESSES:
            spare = spare_ids["businesses"]
            out.append(BadRow("bad_date", base, {"business_id": constant(spare[0].as_py()),
                                                 "registered_on": february_30("registered_on")}))
            out.append(BadRow("bad_prefecture", base, {"business_id": constant(spare[1].as_py()),
                                                       "prefecture_code": constant("48")}))
        elif feed is WORKERS:
            out.append(BadRow("bad_id", base, {"worker_id": drop_first_char("worker_id")}))
            out.append(BadRow("level_requires_detailed", base, {
                "worker_id": constant(spare_ids["workers"][0].as_py()),
                "registration_type": lambda row, style: "簡略型" if style.enums == "ja" else "simple",
                "level": constant("3")}))
        elif feed is SITES:
            spare = spare_ids["sites"]
            out.append(BadRow("bad_enum", base, {"site_id": constant(spare[0].as_py()),
                                                 "orderer_type": constant("foreign")}))
            out.append(BadRow("end_before_start", base, {"site_id": constant(spare[1].as_py()),
                                                         "end_on": shift_date("start_on", -10)}))
        else:
            out.append(BadRow("field_count", base))
            out.append(BadRow("registration_mismatch", base, {
                "business_ref": constant(fresh_ref(i)), "is_ccus_registered": bool_word(True)}))
    return out


# --------------------------------------------------------------------------------------------
# registry deliveries
# --------------------------------------------------------------------------------------------
BIG = np.iinfo(np.int64).max // 4


def _k(cal: pop.Calendar, days: np.ndarray) -> np.ndarray:
    """Delivery index of each day (BIG for NA or after the last delivery)."""
    days = np.asarray(days, dtype=np.int64)
    k = pop.first_delivery(cal, np.where(days == NA, 0, days))
    return np.where((days == NA) | (days > cal.deliveries[-1]), BIG, k)


def _delivery_rows(k_new: np.ndarray, k_upd: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    new = np.flatnonzero(k_new == k)
    upd = np.flatnonzero((k_upd == k) & (k_upd > k_new))
    idx = np.concatenate([new, upd])
    post = np.concatenate([k_upd[new] == k, np.ones(len(upd), bool)])
    return idx, post


def _sorted_by(ids: pa.Array, idx: np.ndarray, post: np.ndarray):
    keys = np.array(ids.take(pa.array(idx)).to_pylist(), dtype=object)
    order = np.lexsort((post, keys)) if len(idx) else np.zeros(0, np.int64)
    return idx[order], post[order]


def _pick(post, idx, a, b):
    return np.where(post, np.asarray(b)[idx], np.asarray(a)[idx])


def _pick_list(post, idx, a: list, b: list) -> list:
    return [b[i] if p else a[i] for i, p in zip(idx.tolist(), post.tolist())]


class World:
    """Everything simulate() generates, and the writers of each feed."""

    def __init__(self, p: ScaleParams, start: dt.date, days: int, seed: int):
        self.p = p
        self.seed = seed
        self.cal = cal = pop.make_calendar(start, days)
        self.B = pop.make_businesses(p, cal, _rng(seed, "businesses"))
        self.W = pop.make_workers(p, cal, self.B, _rng(seed, "workers"))
        self.S = pop.make_sites(p, cal, self.B, _rng(seed, "sites"))
        self.C = pop.make_contracts(p, cal, self.B, self.S, _rng(seed, "contracts"))
        self.Pn = act.make_persons(p, cal, self.B, self.W, self.C, _rng(seed, "persons"))
        self.E = act.make_engagements(cal, self.B, self.S, self.C, self.Pn, _rng(seed, "engagements"))
        open_ = act.site_calendar(cal, self.S, _rng(seed, "calendar"))
        self.R = act.make_roster(p, cal, self.E, open_, _rng(seed, "roster"))
        self.A, self.H = act.make_attendance(p, cal, self.W, self.S, self.C, self.Pn, self.E, self.R,
                                             _rng(seed, "attendance"))
        self.wages = act.make_wages(p, cal, self.B, self.W, self.H, _rng(seed, "wages"))
        self.kentaikyo = act.make_kentaikyo(cal, self.B, self.W, self.S, self.C, self.H, self.A,
                                            _rng(seed, "kentaikyo"))
        self.occ_table = pa.array(ref.occupations().codes, pa.string())
        self.pref_codes = ref.prefectures().codes
        self.rng = _rng(seed, "files")
        self.fresh = Fresh()

    # ---- registry rows -------------------------------------------------------------------
    def business_rows(self, idx, post, delta: bool) -> dict:
        B = self.B
        d = {
            "business_id": Lookup(idx, B.ids),
            "business_name": [B.name[i] for i in idx.tolist()],
            "prefecture_code": self.pref_codes[B.pref[idx]],
            "is_sole_proprietor": B.kind[idx] == pop.SOLE,
            "capital_yen": B.capital[idx],
            "employee_count": _pick(post, idx, B.employees_a, B.employees_b),
            "registered_on": B.reg[idx],
            "association_codes": [a or None for a in _pick_list(post, idx, B.assoc_a, B.assoc_b)],
            "kentaikyo_contractor_no": [B.kc_no[i] for i in idx.tolist()],
            "updated_at": Stamps(_pick(post, idx, B.created_at, B.upd_at)),
        }
        for j, col in enumerate(("health_insurance", "pension_insurance", "employment_insurance")):
            d[col] = _pick(post, idx, B.ins_a[:, j], B.ins_b[:, j])
        if delta:    # the optional column appears in the deltas only
            d["is_withdrawn"] = post & B.withdrawn_b[idx]
        return d

    def worker_rows(self, idx, post, delta: bool) -> dict:
        W, B = self.W, self.B
        d = {
            "worker_id": Lookup(idx, W.ids),
            "worker_name": [W.name[i] for i in idx.tolist()],
            "phone": _pick_list(post, idx, W.phone_a, W.phone_b),
            "address": _pick_list(post, idx, W.address_a, W.address_b),
            "birth_date": W.birth[idx],
            "employer_business_id": Lookup(W.employer[idx], B.ids),
            "occupation_code": Lookup(W.occ[idx], self.occ_table),
            "registration_type": np.where(W.detailed[idx], pop.REG_TYPE["detailed"], pop.REG_TYPE["simple"]),
            "registered_on": W.reg[idx],
            "level": _pick(post, idx, W.level_a, W.level_b),
            "level_judged_on": _pick(post, idx, W.judged_a, W.judged_b),
            "qualifications": Lookup(_pick(post, idx, W.quals_a.idx, W.quals_b.idx), W.quals_a.table),
            "experience_start_on": W.exp_start[idx],
            "insurance_verified_on": _pick(post, idx, W.verified_a, W.verified_b),
            "kentaikyo_member_no": _pick_list(post, idx, W.kt_a, W.kt_b),
            "updated_at": Stamps(_pick(post, idx, W.created_at, W.upd_at)),
        }
        for j, col in enumerate(("health_insurance", "pension_insurance", "employment_insurance")):
            d[col] = _pick(post, idx, W.ins_a[:, j], W.ins_b[:, j])
        return d

    def site_rows(self, idx, post, delta: bool) -> dict:
        S, B = self.S, self.B
        return {
            "site_id": Lookup(idx, S.ids),
            "site_name": [S.name[i] for i in idx.tolist()],
            "prefecture_code": self.pref_codes[S.pref[idx]],
            "orderer_type": S.orderer[idx],
            "is_public_works": S.public[idx],
            "model_project_type": S.model[idx],
            "contract_amount_yen": S.amount[idx],
            "start_on": S.start[idx],
            "end_on": _pick(post, idx, S.end_a, S.end),
            "prime_business_id": Lookup(S.prime[idx], B.ids),
            "kentaikyo_method": S.method[idx],
            "card_reader_installed": _pick(post, idx, S.reader_a, S.reader_b),
            "two_days_off_type": S.two_days[idx],
            "registered_on": S.reg[idx],
            "updated_at": Stamps(_pick(post, idx, S.created_at, S.upd_at)),
        }

    def write_registry(self, summary: Summary) -> None:
        cal, B, W, S, C = self.cal, self.B, self.W, self.S, self.C
        K = len(cal.deliveries)
        specs = [
            (BUSINESSES, B.ids, _k(cal, B.reg), _k(cal, B.upd_day), self.business_rows),
            (WORKERS, W.ids, _k(cal, W.reg), _k(cal, W.upd_day), self.worker_rows),
            (SITES, S.ids, _k(cal, S.reg), _k(cal, S.upd_day), self.site_rows),
        ]
        for feed_no, (feed, ids, k_new, k_upd, rows_of) in enumerate(specs):
            per_k = [_sorted_by(ids, *_delivery_rows(k_new, k_upd, k)) for k in range(K)]
            kb = next((k for k in range(1, K) if len(per_k[k][0])), 0)
            for k in range(K):
                idx, post = per_k[k]
                bad = self.registry_bad(feed, len(idx)) if k == kb else []
                w = write_file(self.out / _fname(feed.name, int(cal.deliveries[k])), feed,
                               rows_of(idx, post, k > 0), registry_style(k, feed_no), self.rng, bad)
                summary.add(feed.name, w)

        # site contracts: delivered when known (up to 14 days ahead of joining); left_on once passed
        k_vis = _k(cal, C.visible)
        k_left = np.where(C.left_reported, _k(cal, C.left), BIG)
        per_k = []
        for k in range(K):
            new = np.flatnonzero(k_vis == k)
            upd = np.flatnonzero((k_left == k) & (k_left > k_vis) & (k_vis < BIG))
            idx = np.concatenate([new, upd])
            idx = idx[np.lexsort((C.join[idx], C.tier[idx], C.site[idx]))]
            per_k.append(idx)
        kb = next((k for k in range(1, K) if len(per_k[k])), 0)
        for k in range(K):
            idx = per_k[k]
            shown = C.left_reported[idx] & (C.left[idx] <= cal.deliveries[k])
            up = C.upper[idx]
            data = {
                "site_id": Lookup(C.site[idx], S.ids),
                "business_ref": Lookup(idx, C.ref),
                "is_ccus_registered": C.biz[idx] >= 0,
                "upper_business_ref": Lookup(np.where(up >= 0, up, -1), C.ref),
                "tier": C.tier[idx],
                "joined_on": C.join[idx],
                "left_on": np.where(shown, C.left[idx], NA),
                "stamp_exception": C.stamp_exception[idx],
            }
            bad = self.registry_bad(SITE_CONTRACTS, len(idx)) if k == kb else []
            w = write_file(self.out / _fname("site_contracts", int(cal.deliveries[k])), SITE_CONTRACTS, data,
                           registry_style(k, 3), self.rng, bad)
            summary.add("site_contracts", w)

    def registry_bad(self, feed, n_rows: int) -> list[BadRow]:
        """A handful of bad rows per registry feed, each with a key of its own."""
        spare = {"businesses": self.B.spare_ids, "workers": self.W.spare_ids, "sites": self.S.spare_ids}
        return registry_bad_rows(feed, self.p.registry_bad_rows, n_rows, self.rng, spare,
                                 lambda i: self.fresh("L9{:07d}"))

    # ---- daily feeds -----------------------------------------------------------------------
    def write_rosters(self, summary: Summary) -> None:
        R, E, S, C, Pn, cal = self.R, self.E, self.S, self.C, self.Pn, self.cal
        days = np.unique(R.day)
        bounds = np.searchsorted(R.day, np.r_[days, cal.end + 1])
        styles = [roster_style(i) for i in range(len(days))]
        rows = np.diff(bounds).tolist()
        plan = plan_bad(self.rng, rows, [s.fmt for s in styles], ROSTER_BAD, self.p.bad_row_rate)
        for i, day in enumerate(days.tolist()):
            eng = R.eng[bounds[i]:bounds[i + 1]]
            person = E.person[eng]
            data = {
                "site_id": Lookup(E.site[eng], S.ids),
                "work_date": R.day[bounds[i]:bounds[i + 1]],
                "business_ref": Lookup(E.contract[eng], C.ref),
                "person_ref": Lookup(person, Pn.ref),
                "is_ccus_registered": Pn.registered[person],
                "role": E.role[eng],
                "occupation_code": Lookup(Pn.occ[person], self.occ_table),
                "insurance_check": E.check[eng],
                "health_insurance": E.ins[eng, 0],
                "pension_insurance": E.ins[eng, 1],
                "employment_insurance": E.ins[eng, 2],
                "admitted": E.admitted[eng],
            }
            bad = [roster_bad_row(kind, base, self.fresh) for kind, base in plan.get(i, [])]
            w = write_file(self.out / _fname("rosters", day), ROSTERS, data, styles[i], self.rng, bad)
            summary.add("rosters", w)

    def write_attendance(self, summary: Summary) -> None:
        A, S, W, B, cal = self.A, self.S, self.W, self.B, self.cal
        recv_day = A.recv // 86400
        days = np.unique(recv_day)
        bounds = np.searchsorted(recv_day, np.r_[days, cal.end + 1])
        styles = [attendance_style(i, pop.date_of(d)) for i, d in enumerate(days.tolist())]
        rows = np.diff(bounds).tolist()
        plan = plan_bad(self.rng, rows, [s.fmt for s in styles], ATTENDANCE_BAD, self.p.bad_row_rate)
        api = act.INPUT["api"]
        for i, day in enumerate(days.tolist()):
            a, b = int(bounds[i]), int(bounds[i + 1])
            utc = A.method[a:b] == api        # API deliveries stamp in UTC
            data = {
                "record_id": A.record_id.slice(a, b - a),
                "site_id": Lookup(A.site[a:b], S.ids),
                "worker_id": Lookup(A.worker[a:b], W.ids),
                "employer_business_id": Lookup(A.employer[a:b], B.ids),
                "work_date": A.day[a:b],
                "entered_at": Stamps(A.entered[a:b], utc),
                "exited_at": Stamps(A.exited[a:b], utc),
                "role": A.role[a:b],
                "occupation_code": Lookup(A.occ[a:b], self.occ_table),
                "input_method": A.method[a:b],
                "device_id": A.device.slice(a, b - a),
                "received_at": Stamps(A.recv[a:b], utc),
            }
            bad = [attendance_bad_row(kind, base, self.fresh) for kind, base in plan.get(i, [])]
            w = write_file(self.out / _fname("attendance", day, styles[i].fmt), ATTENDANCE, data, styles[i],
                           self.rng, bad)
            summary.add("attendance", w)

    # ---- monthly feeds ---------------------------------------------------------------------
    def write_monthly(self, summary: Summary) -> None:
        cal, W, B, S = self.cal, self.W, self.B, self.S
        months = np.unique(pop.month_of(cal.period))
        for i, m in enumerate(months.tolist()):
            first = pop.date_of(pop.month_start(m))
            ym = f"{first:%Y-%m}"
            g = self.wages
            sel = np.flatnonzero(g.month == m)
            data = {
                "year_month": pa.array([ym] * len(sel), pa.string()),
                "business_id": Lookup(g.business[sel], B.ids),
                "worker_id": Lookup(g.worker[sel], W.ids),
                "days_worked": g.days[sel],
                "base_pay_yen": g.base[sel],
                "allowances_yen": g.allowances[sel],
                "overtime_pay_yen": g.overtime[sel],
                "bonus_yen": g.bonus[sel],
            }
            w = write_file(self.out / f"wages/wages_{first:%Y%m}.csv", WAGES, data, monthly_style(i), self.rng)
            summary.add("wages", w)
            k = self.kentaikyo
            sel = np.flatnonzero(k.month == m)
            data = {
                "year_month": pa.array([ym] * len(sel), pa.string()),
                "site_id": Lookup(k.site[sel], S.ids),
                "business_id": Lookup(k.business[sel], B.ids),
                "worker_id": Lookup(k.worker[sel], W.ids),
                "method": k.method[sel],
                "days_reported": k.days[sel],
                "amount_yen": k.amount[sel],
            }
            w = write_file(self.out / f"kentaikyo/kentaikyo_{first:%Y%m}.csv", KENTAIKYO, data,
                           monthly_style(i + 1), self.rng)
            summary.add("kentaikyo", w)

    def write(self, out: Path) -> Summary:
        self.out = out
        summary = Summary(out)
        self.write_registry(summary)
        self.write_rosters(summary)
        self.write_attendance(summary)
        self.write_monthly(summary)
        return summary


def simulate(scale: str, out: Path, start: dt.date | None = None, days: int | None = None, seed: int = 42) -> dict:
    """Write a contract-conformant inbox for `scale` into `out` and return a summary.

    Deterministic: the same arguments give byte-identical files. Files of the same names are
    overwritten; other files in `out` are left alone.
    """
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; choose one of {', '.join(SCALES)}")
    p = SCALES[scale]
    start = start or p.start
    days = int(days or p.days)
    if days < 1:
        raise ValueError("days must be at least 1")
    if start < pop.date_of(pop.LAUNCH):
        raise ValueError(f"CCUS started on {pop.date_of(pop.LAUNCH)}; start {start} is before it")
    out = Path(out)
    if p.engine == "national":     # streamed, vectorised engine (national.py)
        from ccus.simulate import national

        return national.simulate(p, out, start, days, seed)
    world = World(p, start, days, seed)
    return summary_of(world, world.write(out), scale, out, start, days, seed)


def summary_of(world, s, scale: str, out: Path, start: dt.date, days: int, seed: int) -> dict:
    """What a simulation wrote (either engine): files, rows and bad rows per feed, entities."""
    return {
        "scale": scale,
        "start": start.isoformat(),
        "days": days,
        "seed": seed,
        "out": str(out),
        "files": sorted(s.files),
        "files_per_feed": {f: sum(1 for x in s.files if x.startswith(f + "/")) for f in FEEDS},
        "rows": {f: int(s.rows.get(f, 0)) for f in FEEDS},
        "bad_rows": dict(sorted(s.bad.items())),
        "bad_rows_by_feed": {f: dict(sorted(c.items())) for f, c in sorted(s.bad_by_feed.items())},
        "encodings": dict(sorted(s.encodings.items())),
        "formats": dict(sorted(s.formats.items())),
        "entities": {"businesses": world.B.n, "workers": world.W.n, "sites": world.S.n,
                     "site_contracts": world.C.n, "persons_without_ccus_id": world.Pn.n - world.Pn.n_workers},
    }
