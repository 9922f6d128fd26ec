"""Writes the world's inbox: the registry deliveries, then month by month and day by day the
rosters and the attendance files of each receipt day (late records wait in a small buffer),
wages and 建退共 at each month end. Every file is streamed in chunks (stream.StreamWriter) with a
generator of its own, so files can be written in any order, or by forked writers."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np

from ccus.feeds.contract import ATTENDANCE, BUSINESSES, FEEDS, KENTAIKYO, ROSTERS, SITE_CONTRACTS, WAGES, WORKERS
from simulator.activity_rows import attendance_data, device_table, roster_data
from simulator.bad_rows import ATTENDANCE_BAD, ROSTER_BAD, Fresh, attendance_bad_row, bad_kinds, registry_bad_rows
from simulator.bad_rows import roster_bad_row
from simulator.crews import Crews
from simulator.dates import date_of, month_of
from simulator.day import Pending, run_days
from simulator.draw import rng as stream
from simulator.feeds import SITES
from simulator.forkpool import ForkPool
from simulator.history import work_history
from simulator.monthly import kentaikyo_data, wage_data
from simulator.population import World
from simulator.registry_rows import (
    business_rows, contract_rows, delivery_of, delivery_rows, site_contract_data, site_rows, worker_rows,
)
from simulator.render import Style, Written
from simulator.stream import StreamWriter, byte_table, write_chunked
from simulator.styles import attendance_style, monthly_style, registry_style, roster_style

CHUNK = 250_000                      # rows per rendered chunk


class Summary:
    """What was written: files, rows and deliberately bad rows per feed, encodings, formats."""

    def __init__(self, out: Path):
        self.out = out
        self.files: list[str] = []
        self.rows: Counter = Counter()
        self.bad: Counter = Counter()
        self.bad_by_feed: dict[str, Counter] = {}
        self.encodings: Counter = Counter()
        self.formats: Counter = Counter()

    def add(self, feed: str, written: Written) -> None:
        self.files.append(Path(written.path).relative_to(self.out).as_posix())
        self.rows[feed] += written.rows
        self.encodings[written.encoding] += 1
        self.formats[written.fmt] += 1
        for kind, k in written.bad.items():
            self.bad[kind] += k
            self.bad_by_feed.setdefault(feed, Counter())[kind] += k


def file_name(feed: str, day: int, ext: str = "csv") -> str:
    return f"{feed}/{feed}_{date_of(day):%Y%m%d}.{ext}"


def _tagged(feed, fn, *args):
    return feed, fn(*args)


def _write_registry_file(path, feed, rows_of, w, idx, post, delta, style, rng, bad) -> Written:
    """Registry deliveries hold up to millions of rows: rows are built and written in chunks."""
    names = list(rows_of(w, idx[:1], post[:1], delta))
    out = StreamWriter(path, feed, names, style, rng)
    n = len(idx)
    for i, a in enumerate(range(0, max(n, 1), CHUNK)):
        b = min(n, a + CHUNK)
        out.write(rows_of(w, idx[a:b], post[a:b], delta), bad if i == 0 else [])
    return out.close()


def _write_rosters(path, w: World, K: Crews, rows: np.ndarray, d: int, style: Style, rng, bad) -> Written:
    out = StreamWriter(path, ROSTERS, list(roster_data(w, K, rows[:1], d)), style, rng)
    for i, s in enumerate(range(0, len(rows), CHUNK)):
        out.write(roster_data(w, K, rows[s:s + CHUNK], d), bad if i == 0 else [])
    return out.close()


def _write_attendance(path, w: World, devices, a: dict, style: Style, rng, dev_rng, bad) -> Written:
    n = len(a["site"])
    first = {k: v[:1] for k, v in a.items()}
    out = StreamWriter(path, ATTENDANCE, list(attendance_data(w, devices, first, dev_rng)), style, rng)
    for i, s in enumerate(range(0, n, CHUNK)):
        part = {k: v[s:s + CHUNK] for k, v in a.items()}
        out.write(attendance_data(w, devices, part, dev_rng), bad if i == 0 else [])
    return out.close()


class Writer:
    def __init__(self, world: World, out: Path, writers: int = 0):
        self.w = world
        self.out = out
        self.summary = Summary(out)
        self.pool = ForkPool(max_children=writers)
        self.fresh = Fresh()
        self.files_written: Counter = Counter()        # per daily feed: picks each file's style
        self.force_roster = set(ROSTER_BAD)
        self.force_att = set(ATTENDANCE_BAD)
        self.devices = device_table(world)
        # byte matrices of the big string tables, built once here so that forked writers share them
        for table in (world.S.ids, world.W.ids, world.B.ids, world.C.ref, world.Pn.ref, self.devices):
            byte_table(table)

    def file_rng(self, feed: str, day: int) -> np.random.Generator:
        return stream(self.w.seed, "files", list(FEEDS).index(feed), day)

    def emit(self, feed: str, fn, *args) -> None:
        self.pool.submit(_tagged, feed, fn, *args)

    def collect(self) -> None:
        for feed, written in self.pool.join():
            self.summary.add(feed, written)

    def registry_bad(self, feed, n_rows: int, rng) -> list:
        w = self.w
        spare = {"businesses": w.B.spare_ids, "workers": w.W.spare_ids, "sites": w.S.spare_ids}
        return registry_bad_rows(feed, w.p.registry_bad_rows, n_rows, rng, spare)

    # ---- registry ---------------------------------------------------------------------------
    def write_registry(self) -> None:
        w = self.w
        cal, B, W, S = w.cal, w.B, w.W, w.S
        K = len(cal.deliveries)
        specs = [(BUSINESSES, B.num, delivery_of(cal, B.reg), delivery_of(cal, B.upd_day), business_rows),
                 (WORKERS, W.num, delivery_of(cal, W.reg), delivery_of(cal, W.upd_day), worker_rows),
                 (SITES, S.num, delivery_of(cal, S.reg), delivery_of(cal, S.upd_day), site_rows)]
        for feed_no, (feed, num, k_new, k_upd, rows_of) in enumerate(specs):
            per_k = [delivery_rows(k_new, k_upd, k, num) for k in range(K)]
            kb = next((k for k in range(1, K) if len(per_k[k][0])), 0)
            for k in range(K):
                idx, post = per_k[k]
                day = int(cal.deliveries[k])
                rng = self.file_rng(feed.name, day)
                bad = self.registry_bad(feed, len(idx), rng) if k == kb else []
                self.emit(feed.name, _write_registry_file, self.out / file_name(feed.name, day), feed, rows_of, w,
                          idx, post, k > 0, registry_style(k, feed_no), rng, bad)
            self.collect()   # the registry arrays are large: one feed at a time

        per_k = contract_rows(cal, w.C)
        kb = next((k for k in range(1, K) if len(per_k[k])), 0)
        for k in range(K):
            idx = per_k[k]
            day = int(cal.deliveries[k])
            rng = self.file_rng("site_contracts", day)
            bad = self.registry_bad(SITE_CONTRACTS, len(idx), rng) if k == kb else []
            self.emit("site_contracts", write_chunked, self.out / file_name("site_contracts", day), SITE_CONTRACTS,
                      site_contract_data(w, idx, day), registry_style(k, 3), rng, bad, CHUNK)
        self.collect()

    # ---- activity ---------------------------------------------------------------------------
    def write_activity(self) -> dict:
        """Day by day: the roster file, the attendance file of the day's receipts (the first one
        with the work history before the period); wages and kentaikyo at each month end."""
        w, cal = self.w, self.w.cal
        counts = Counter()
        pending = Pending()
        history = work_history(w, pending) if w.p.history else {}
        counts["history"] = len(history.get("site", ()))
        for K, acc, d, roster, att, month_end in run_days(w, cal.d0, cal.end):
            if len(roster):
                self.write_roster(K, roster, d)
                counts["rosters"] += len(roster)
            same = att["recv_day"] == d
            pending.add(att, ~same)
            parts = [history] if d == cal.d0 and history else []       # the initial extract
            parts += [pending.pop(d), {k: v[same] for k, v in att.items()}]
            if d == cal.end:      # everything still pending arrives on the last day
                parts.append(pending.pop_all())
            today = {k: np.concatenate([part[k] for part in parts if part]) for k in att}
            if len(today["site"]):
                self.write_attendance(today, d)
                counts["attendance"] += len(today["site"])
            if month_end:
                self.write_month(K, acc, K.first)
                self.collect()
        return dict(counts)

    def write_roster(self, K: Crews, roster: np.ndarray, d: int) -> None:
        w = self.w
        style = roster_style(self.files_written["rosters"])
        rng = self.file_rng("rosters", d)
        bad = [roster_bad_row(kind, base, self.fresh) for kind, base in
               bad_kinds(rng, len(roster), style.fmt, ROSTER_BAD, w.p.bad_row_rate, self.force_roster, CHUNK)]
        self.emit("rosters", _write_rosters, self.out / file_name("rosters", d, style.fmt), w, K, roster, d, style,
                  rng, bad)
        self.files_written["rosters"] += 1

    def write_attendance(self, records: dict, d: int) -> None:
        w = self.w
        o = np.argsort(records["recv"], kind="stable")
        records = {k: v[o] for k, v in records.items()}
        style = attendance_style(self.files_written["attendance"], date_of(d))
        rng = self.file_rng("attendance", d)
        n = len(records["site"])
        bad = [attendance_bad_row(kind, base, self.fresh) for kind, base in
               bad_kinds(rng, n, style.fmt, ATTENDANCE_BAD, w.p.bad_row_rate, self.force_att, CHUNK)]
        self.emit("attendance", _write_attendance, self.out / file_name("attendance", d, style.fmt), w, self.devices,
                  records, style, rng, stream(w.seed, "files", 92, d), bad)
        self.files_written["attendance"] += 1

    def write_month(self, K: Crews, acc: dict, first: int) -> None:
        w = self.w
        m = int(month_of(np.array([first]))[0])
        first_day = date_of(first).replace(day=1)
        i = int(m - month_of(np.array([w.cal.d0]))[0])
        self.emit("wages", write_chunked, self.out / f"wages/wages_{first_day:%Y%m}.csv", WAGES,
                  wage_data(w, K, acc, m, first_day), monthly_style(i), stream(w.seed, "files", 90, m), [], CHUNK)
        self.emit("kentaikyo", write_chunked, self.out / f"kentaikyo/kentaikyo_{first_day:%Y%m}.csv", KENTAIKYO,
                  kentaikyo_data(w, K, acc, m, first_day), monthly_style(i + 1), stream(w.seed, "files", 91, m), [],
                  CHUNK)
