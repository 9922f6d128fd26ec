"""The feed simulator (the `simulator` package) writes exactly the inbox contract of feeds.md.

The checks read the files with the standard library (csv, json), independently of the
platform's reader; one test also runs the platform's reader and validator over a tiny inbox and
expects the quarantine to hold exactly the deliberately bad rows the summary announces.
"""
from __future__ import annotations

import collections
import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import dataclasses

import numpy as np
import pyarrow as pa
import pytest

from ccus.feeds.contract import ATTENDANCE, FEEDS, ID14, WORKERS
from ccus.feeds.inbox import Inbox
from ccus.feeds.reader import read_bytes
from ccus.feeds.validate import validate
from simulator import ASSOCIATIONS, SCALES, ScaleParams, main, simulate
from simulator import reference as ref
from simulator.dates import NA
from simulator.render import Lookup, Stamps, Style, render_column
from simulator.stream import render_fast

SMALL_DAYS = 20
# The format and content checks read every row with the csv module: 20 days of the small scale,
# without its years of work history (the history is checked on tiny and in test_calibration.py).
SMALL = dataclasses.replace(SCALES["small"], history=False)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    out = tmp_path_factory.mktemp("small")
    return out, simulate(SMALL, out, days=SMALL_DAYS)


# ---------------------------------------------------------------------------------------------
# a small independent reader
# ---------------------------------------------------------------------------------------------
def decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp932"), "cp932"


# Columns feeds.md lists that the reader's contract does not hold yet (the reader keeps them in the
# raw zone and warns about an extra column).
SPEC_ONLY = {"sites": {"orderer_code": "発注機関コード"}}


def spec_columns(feed) -> set[str]:
    return {c.name for c in feed.columns} | set(SPEC_ONLY.get(feed.name, {}))


def header_map(feed, names: list[str]) -> dict[str, str]:
    """file column name -> feeds.md column name (English or Japanese); fails on unknown names."""
    index = {}
    for col in feed.columns:
        index[col.name] = col.name
        index[col.ja] = col.name
    for name, ja in SPEC_ONLY.get(feed.name, {}).items():
        index[name] = index[ja] = name
    unknown = [n for n in names if n not in index]
    assert not unknown, f"{feed.name}: header names not in the contract: {unknown}"
    return {n: index[n] for n in names}


class Parsed:
    def __init__(self, path: Path):
        self.path = path
        self.feed = FEEDS[path.parent.name]
        data = path.read_bytes()
        self.text, self.encoding = decode(data)
        self.crlf = b"\r\n" in data
        self.rows: list[dict[str, str]] = []      # contract names -> text
        self.broken = 0                           # lines that cannot be rows (bad on purpose)
        if path.suffix == ".jsonl":
            self.header = None
            for line in self.text.splitlines():
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError:
                    self.broken += 1
                    continue
                m = header_map(self.feed, list(obj))
                self.rows.append({m[k]: ("" if v is None else v) for k, v in obj.items()})
        else:
            records = list(csv.reader(io.StringIO(self.text, newline="")))
            self.header = records[0]
            m = header_map(self.feed, self.header)
            names = [m[h] for h in self.header]
            for rec in records[1:]:
                if len(rec) != len(names):
                    self.broken += 1
                    continue
                self.rows.append(dict(zip(names, rec)))
        self.columns = set(self.rows[0]) if self.rows else (
            {header_map(self.feed, self.header)[h] for h in self.header} if self.header else set())


def parse_tree(out: Path) -> list[Parsed]:
    """Every feed file (simulation.json at the root is the marker, not a feed file)."""
    return [Parsed(p) for p in sorted(out.rglob("*")) if p.is_file() and p.parent != out]


@pytest.fixture(scope="module")
def tiny_files(tiny):
    return parse_tree(tiny[0])


@pytest.fixture(scope="module")
def small_files(small):
    return parse_tree(small[0])


def tree_bytes(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def feed_files(out: Path) -> list[str]:
    return sorted(name for name in tree_bytes(out) if name != "simulation.json")


# ---------------------------------------------------------------------------------------------
# API and determinism
# ---------------------------------------------------------------------------------------------
def test_scales_are_one_dataclass_each():
    assert set(SCALES) == {"tiny", "small", "national", "national-full"}
    assert all(isinstance(p, ScaleParams) for p in SCALES.values())
    assert SCALES["tiny"].start == SCALES["small"].start == dt.date(2024, 4, 1)
    assert SCALES["small"].days == 365 and SCALES["tiny"].days == 14
    with pytest.raises(ValueError, match="unknown scale"):
        simulate("continental", Path("/nonexistent"))
    with pytest.raises(ValueError, match="before it"):
        simulate("tiny", Path("/nonexistent"), start=dt.date(2019, 3, 31))
    national, full = SCALES["national"], SCALES["national-full"]
    assert (national.start, national.days) == (full.start, full.days) == (dt.date(2025, 10, 1), 31)
    assert full.workers == 3_300_000 and national.workers == 0       # 0: the published curve itself


def test_same_seed_same_bytes_other_seed_differs(tiny, tmp_path):
    out, summary = tiny
    again = simulate("tiny", tmp_path / "again")
    assert tree_bytes(out) == tree_bytes(tmp_path / "again")
    assert again == {**summary, "out": str(tmp_path / "again")}
    simulate("tiny", tmp_path / "other", seed=7)
    other = tree_bytes(tmp_path / "other")
    assert other != tree_bytes(out)
    assert other["workers/workers_20240401.csv"] != tree_bytes(out)["workers/workers_20240401.csv"]


def test_summary_lists_the_files_and_rows(tiny, tiny_files):
    out, summary = tiny
    assert summary["files"] == feed_files(out)
    rows = collections.Counter()
    for f in tiny_files:
        rows[f.feed.name] += len(f.rows) + f.broken
    assert {feed: rows[feed] for feed in FEEDS} == summary["rows"]
    assert all(summary["rows"][feed] > 0 for feed in FEEDS)


def test_cli_main_and_start_days(tmp_path):
    assert main(["--scale", "tiny", "--start", "2024-10-01", "--days", "3", "--seed", "5",
                 "--out", str(tmp_path)]) == 0
    names = sorted(p.name for p in (tmp_path / "businesses").iterdir())
    assert names[0] == "businesses_20241001.csv"
    roster_days = sorted(p.name for p in (tmp_path / "rosters").iterdir())
    assert all("20241001" <= n.split("_")[1][:8] <= "20241003" for n in roster_days)


# ---------------------------------------------------------------------------------------------
# layout, encodings, headers, ids
# ---------------------------------------------------------------------------------------------
def test_layout_and_file_names(tiny, tiny_files):
    out, summary = tiny
    for f in tiny_files:
        rel = f.path.relative_to(out)
        assert len(rel.parts) == 2 and rel.parts[0] in FEEDS
        m = f.feed.file_pattern.match(f.path.name)
        assert m, f"{rel} does not match {f.feed.file_pattern.pattern}"
        assert m.group(2) is None                  # no corrected versions
    registry = [f for f in tiny_files if f.feed.name in ("businesses", "workers", "sites", "site_contracts")]
    first = {f.feed.name: min(g.path.name for g in registry if g.feed.name == f.feed.name) for f in registry}
    assert all(name.endswith("_20240401.csv") for name in first.values())
    # a roster file holds that day's roster (apart from the deliberately mismatched rows)
    mismatched = 0
    for f in tiny_files:
        if f.feed.name == "rosters":
            day = f.path.stem.split("_")[1]
            dates = [r["work_date"].replace("/", "").replace("-", "") for r in f.rows]
            mismatched += sum(d != day for d in dates)
    assert mismatched == summary["bad_rows_by_feed"]["rosters"]["work_date_mismatch"]


@pytest.mark.parametrize("which", ["tiny_files", "small_files"])
def test_every_file_decodes_and_its_header_is_the_contract(which, request):
    for f in request.getfixturevalue(which):
        feed = f.feed
        required = {c.name for c in feed.required_columns}
        allowed = spec_columns(feed)
        assert required <= f.columns <= allowed, f"{f.path.name}: {sorted(f.columns ^ required)}"
        if f.header is not None:
            assert len(f.header) == len(set(f.header)) == len(f.columns)
        assert f.encoding in ("utf-8", "utf-8-sig", "cp932")


def test_ids_are_14_digit_strings_with_leading_zeros(small_files, small):
    summary = small[1]
    id_columns = {feed.name: [c.name for c in feed.columns if c.kind == ID14] for feed in FEEDS.values()}
    good = bad = leading_zero = 0
    for f in small_files:
        for row in f.rows:
            for col in id_columns[f.feed.name]:
                v = row.get(col, "")
                if re.fullmatch(r"\d{14}", v):
                    good += 1
                    leading_zero += v.startswith("0")
                else:
                    bad += 1
    assert good > 100_000
    assert leading_zero > good * 0.3
    # the only malformed ids are the deliberately bad ones (13 digits) in the id columns
    announced = sum(summary["bad_rows_by_feed"].get(feed, {}).get("bad_id", 0) for feed in FEEDS)
    assert bad == announced > 0


# ---------------------------------------------------------------------------------------------
# the variety feeds.md allows actually occurs
# ---------------------------------------------------------------------------------------------
def _values(files, feed: str, column: str) -> set[str]:
    return {r[column] for f in files if f.feed.name == feed for r in f.rows if r.get(column)}


def test_variety_occurs(small_files, tiny_files):
    for files in (small_files, tiny_files):
        assert {f.encoding for f in files} == {"utf-8", "utf-8-sig", "cp932"}
        assert all(f.crlf for f in files if f.encoding == "cp932")
        assert any(f.path.suffix == ".jsonl" for f in files)
    files = small_files
    registry = [f for f in files if f.feed.name in ("businesses", "workers", "sites", "site_contracts")]
    assert all(f.encoding == "cp932" and f.header[0] == f.feed.columns[0].ja for f in registry)
    rosters = [f for f in files if f.feed.name == "rosters"]
    assert 0.08 < sum(f.encoding == "cp932" for f in rosters) / len(rosters) < 0.3
    headers = {("ja" if f.header[0] in {c.ja for c in f.feed.columns} else "en") for f in files if f.header}
    assert headers == {"ja", "en"}
    assert any(f.header and f.header[0] != f.feed.columns[0].name and f.header[0] != f.feed.columns[0].ja
               for f in files)                                  # a shuffled column order
    dates = _values(files, "rosters", "work_date") | _values(files, "attendance", "work_date")
    assert any(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) for d in dates)
    assert any(re.fullmatch(r"\d{4}/\d{2}/\d{2}", d) for d in dates)
    stamps = _values(files, "attendance", "entered_at")
    assert any(s.endswith("+09:00") for s in stamps)
    assert any(s.endswith("Z") for s in stamps)
    assert any(re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}", s) for s in stamps)
    bools = _values(files, "rosters", "admitted") | _values(files, "businesses", "is_sole_proprietor")
    assert {"true", "false", "1", "0", "はい", "いいえ"} <= bools
    roles = _values(files, "rosters", "role")
    assert {"foreman", "subforeman", "general", "職長", "班長", "一般"} <= roles
    methods = _values(files, "attendance", "input_method")
    assert {"card_reader", "face_recognition", "smartphone_app", "worker_direct", "employer_proxy", "api"} <= methods


def test_z_timestamps_are_the_same_instant(small_files):
    """A record written in UTC ('Z') still enters in the Japanese morning of its work date."""
    seen = 0
    for f in small_files:
        if f.feed.name != "attendance":
            continue
        for r in f.rows:
            s = r["entered_at"]
            if s.endswith("Z") and re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", s):
                jst = dt.datetime.fromisoformat(s.replace("Z", "+00:00")).astimezone(dt.timezone(dt.timedelta(hours=9)))
                try:
                    work = dt.date.fromisoformat(r["work_date"].replace("/", "-"))
                except ValueError:      # the deliberately invalid dates
                    continue
                assert jst.date() == work and 6 <= jst.hour <= 14      # morning, or back from lunch
                seen += 1
    assert seen > 100


# ---------------------------------------------------------------------------------------------
# content realism the metrics rely on
# ---------------------------------------------------------------------------------------------
def test_registry_content(small_files, small):
    biz = {r["business_id"]: r for f in small_files if f.feed.name == "businesses" for r in f.rows}
    sole = [r["is_sole_proprietor"] in ("true", "1", "はい") for r in biz.values()]
    assert 0.3 < sum(sole) / len(sole) < 0.4
    prefs = collections.Counter(r["prefecture_code"] for r in biz.values())
    assert prefs.most_common(1)[0][0] in ("13", "14", "27")
    codes = {a.code for a in ASSOCIATIONS}
    assoc = [r["association_codes"] for r in biz.values() if r["association_codes"]]
    assert all(set(a.split(";")) <= codes for a in assoc)
    assert any(";" in a for a in assoc)
    assert {r["registered_on"][:4] for r in biz.values()} >= {"2019", "2020", "2021", "2022", "2023"}

    workers = {r["worker_id"]: r for f in small_files if f.feed.name == "workers" for r in f.rows}
    levels = collections.Counter(r["level"] for r in workers.values())
    assert levels["1"] > 0.85 * len(workers)
    assert levels["4"] > levels["2"] > 0 and levels["3"] > 0
    occupations = set(ref.occupations().codes)
    quals = set(ref.qualification_codes())
    simple_above_1 = sum(r["level"] in ("2", "3", "4") and r["registration_type"] in ("simple", "簡略型")
                         for f in small_files if f.feed.name == "workers" for r in f.rows)
    assert simple_above_1 == small[1]["bad_rows_by_feed"]["workers"]["level_requires_detailed"]
    for r in workers.values():
        assert r["occupation_code"] in occupations
        assert not r["qualifications"] or set(r["qualifications"].split(";")) <= quals
    insurance = collections.Counter(r["health_insurance"] for r in workers.values())
    assert insurance.most_common(1)[0][0] in ("enrolled", "加入")
    assert len(insurance) >= 3
    names = {r["worker_name"] for r in workers.values()}
    assert any(re.fullmatch(r"\S+ \S+", n) for n in names)
    assert any(re.fullmatch(r"0[789]0-\d{4}-\d{4}", r["phone"]) for r in workers.values())

    sites = {r["site_id"]: r for f in small_files if f.feed.name == "sites" for r in f.rows}
    public = [r["is_public_works"] in ("true", "1", "はい") for r in sites.values()]
    assert 0.5 < sum(public) / len(public) < 0.7
    models = collections.Counter(r["model_project_type"] for r in sites.values())
    assert (models["mandatory"] + models["義務化モデル"]) > 0 and (models["recommended"] + models["活用推奨モデル"]) > 0
    contracts = [r for f in small_files if f.feed.name == "site_contracts" for r in f.rows]
    assert any(r["business_ref"].startswith("L") and r["is_ccus_registered"] in ("false", "0", "いいえ")
               for r in contracts)
    assert {r["tier"] for r in contracts} >= {"0", "1", "2"}
    assert any(r["stamp_exception"] in ("true", "1", "はい") for r in contracts)


def test_activity_content(small_files):
    rosters = [r for f in small_files if f.feed.name == "rosters" for r in f.rows]
    unregistered = [r for r in rosters if r["person_ref"].startswith("P")]
    assert 0.05 < len(unregistered) / len(rosters) < 0.25
    assert all(r["is_ccus_registered"] in ("false", "0", "いいえ") for r in unregistered)
    att = [r for f in small_files if f.feed.name == "attendance" for r in f.rows]
    late = [r for f in small_files if f.feed.name == "attendance" for r in f.rows
            if r["work_date"].replace("/", "").replace("-", "") < f.path.stem.split("_")[1]]
    assert 0.01 < len(late) / len(att) < 0.2
    assert sum(1 for r in att if not r["exited_at"]) > 0
    per_day = collections.Counter((r["worker_id"], r["site_id"], r["work_date"]) for r in att)
    assert sum(1 for c in per_day.values() if c > 1) > 0            # duplicate touches
    exits = [int(r["exited_at"][11:13]) for r in att if r["exited_at"] and r["exited_at"].endswith("+09:00")]
    assert max(exits) >= 21 and min(exits) <= 17
    kentaikyo = [r for f in small_files if f.feed.name == "kentaikyo" for r in f.rows]
    assert all(int(r["amount_yen"]) == 320 * int(r["days_reported"]) for r in kentaikyo)
    assert {r["method"] for r in kentaikyo} & {"stamp", "証紙"} and {r["method"] for r in kentaikyo} & {"electronic", "電子申請"}
    wages = [r for f in small_files if f.feed.name == "wages" for r in f.rows]
    assert all(0 < int(r["days_worked"]) <= 31 and int(r["base_pay_yen"]) > 0 for r in wages)


# ---------------------------------------------------------------------------------------------
# deliberately bad rows
# ---------------------------------------------------------------------------------------------
def test_bad_rows_are_announced(tiny, small):
    for _, summary in (tiny, small):
        kinds = summary["bad_rows"]
        for kind in ("bad_id", "bad_date", "bad_enum", "exit_before_entry", "work_date_mismatch", "field_count",
                     "malformed_json"):
            assert kinds.get(kind, 0) > 0, kind
        assert sum(summary["bad_rows_by_feed"]["rosters"].values()) >= 4
        assert sum(summary["bad_rows_by_feed"]["attendance"].values()) >= 6
        for feed in ("businesses", "workers", "sites", "site_contracts"):
            assert summary["bad_rows_by_feed"][feed]


@pytest.fixture(scope="module")
def tiny_history(tmp_path_factory):
    out = tmp_path_factory.mktemp("tiny_history")
    return out, simulate(dataclasses.replace(SCALES["tiny"], history=True), out)


@pytest.mark.parametrize("which", ["tiny", "tiny_history"])
def test_platform_quarantine_holds_exactly_the_bad_rows(which, request):
    """The platform's reader and validator accept every good row and quarantine exactly the
    announced bad rows, with the announced reasons (also with the years of work history in the
    first attendance file)."""
    out, summary = request.getfixturevalue(which)
    inbox = Inbox(out)
    assert (out / "simulation.json").exists()
    assert "simulation.json" not in {f.path for f in inbox.files()}     # the marker is no delivery
    reasons: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    rows = collections.Counter()
    for f in inbox.files():
        assert f.feed is not None, f.problem
        parsed = read_bytes(f.feed, inbox.read(f), f.name)
        checked = validate(f.feed, parsed, f.file_date)
        rows[f.feed.name] += parsed.rows_read
        assert checked.accepted.num_rows + checked.quarantined.num_rows + len(parsed.malformed) == parsed.rows_read
        for m in parsed.malformed:
            reasons[f.feed.name][m.reason] += 1
        for r in checked.quarantined.column("reason").to_pylist():
            reasons[f.feed.name][r] += 1
    assert dict(rows) == summary["rows"]
    assert {k: dict(v) for k, v in reasons.items()} == summary["bad_rows_by_feed"]


# ---------------------------------------------------------------------------------------------
# the national scales' parameters on a scaled-down population
# ---------------------------------------------------------------------------------------------
MINI = dataclasses.replace(SCALES["national"], name="mini-national", workers=3_000, days=3, sites_per_year=600,
                           site_worker_share=0.6, bad_row_rate=1e-3)


@pytest.fixture(scope="module")
def mini(tmp_path_factory):
    out = tmp_path_factory.mktemp("mini")
    return out, simulate(MINI, out, seed=11)


@pytest.fixture(scope="module")
def mini_files(mini):
    return parse_tree(mini[0])


def test_fast_renderers_write_the_same_text():
    """stream.py's byte-level fast paths give exactly render.py's strings."""
    rng = np.random.default_rng(5)
    n = 5000
    days = rng.integers(17000, 21000, n)
    days[rng.random(n) < 0.1] = NA
    secs = rng.integers(17000 * 86400, 21000 * 86400, n)
    secs[rng.random(n) < 0.1] = NA
    utc = rng.random(n) < 0.2
    table = pa.array([f"{i:014d}" for i in rng.integers(0, 10 ** 14, 200)] + ["P12345678", "L1000001", None])
    idx = rng.integers(-1, len(table), n)
    for style in (Style(), Style(tz=""), Style(date_sep="/")):
        for col, value in ((WORKERS.column("birth_date"), days), (ATTENDANCE.column("entered_at"), Stamps(secs, utc)),
                           (ATTENDANCE.column("exited_at"), Stamps(secs)),
                           (ATTENDANCE.column("received_at"), Stamps(np.where(secs == NA, 0, secs))),
                           (ATTENDANCE.column("site_id"), Lookup(idx, table))):
            assert render_column(col, value, style).to_pylist() == render_fast(col, value, style).to_pylist()


def test_national_engine_is_deterministic_and_order_free(mini, tmp_path):
    out, summary = mini
    again = simulate(MINI, tmp_path / "again", seed=11, writers=1)          # files written by a forked writer
    assert tree_bytes(out) == tree_bytes(tmp_path / "again")
    assert again == {**summary, "out": str(tmp_path / "again")}


def test_national_engine_files_follow_the_contract(mini, mini_files):
    out, summary = mini
    assert summary["files"] == feed_files(out)
    rows = collections.Counter()
    for f in mini_files:
        rows[f.feed.name] += len(f.rows) + f.broken
        required = {c.name for c in f.feed.required_columns}
        assert required <= f.columns <= spec_columns(f.feed), f.path.name
        assert f.feed.file_pattern.match(f.path.name)
    assert {feed: rows[feed] for feed in FEEDS} == summary["rows"]
    assert all(summary["rows"][feed] > 0 for feed in FEEDS)
    # keys are unique inside each file, apart from the deliberately bad rows
    for f in mini_files:
        if f.feed.file_key:
            keys = collections.Counter(tuple(r.get(k, "") for k in f.feed.file_key) for r in f.rows)
            assert sum(c - 1 for c in keys.values()) == 0, f.path.name
    # record ids are unique across the whole delivery
    ids = collections.Counter(r["record_id"] for f in mini_files if f.feed.name == "attendance" for r in f.rows)
    assert max(ids.values()) == 1


def test_national_engine_activity(mini, mini_files):
    out, summary = mini
    rosters = [r for f in mini_files if f.feed.name == "rosters" for r in f.rows]
    unregistered = sum(r["person_ref"].startswith("P") for r in rosters)
    assert 0.03 < unregistered / len(rosters) < 0.3
    att = [(f.path.stem.split("_")[1], r) for f in mini_files if f.feed.name == "attendance" for r in f.rows]
    late = [r for day, r in att if r["work_date"].replace("/", "").replace("-", "") < day]
    assert 0.005 < len(late) / len(att) < 0.2
    per_day = collections.Counter((r["worker_id"], r["site_id"], r["work_date"]) for _, r in att)
    assert any(c > 1 for c in per_day.values())                   # duplicate touches
    assert any(r["entered_at"].endswith("Z") for _, r in att)
    workers = {r["worker_id"] for f in mini_files if f.feed.name == "workers" for r in f.rows}
    assert len(workers) >= summary["entities"]["workers"]
    # every worker in the work history is in the registry (a late-arriving one in the delta)
    assert {r["worker_id"] for _, r in att if re.fullmatch(r"\d{14}", r["worker_id"])} <= workers


def test_national_engine_quarantine_holds_exactly_the_bad_rows(mini):
    out, summary = mini
    inbox = Inbox(out)
    reasons: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for f in inbox.files():
        assert f.feed is not None, f.problem
        parsed = read_bytes(f.feed, inbox.read(f), f.name)
        checked = validate(f.feed, parsed, f.file_date)
        for m in parsed.malformed:
            reasons[f.feed.name][m.reason] += 1
        for r in checked.quarantined.column("reason").to_pylist():
            reasons[f.feed.name][r] += 1
    assert {k: dict(v) for k, v in reasons.items()} == summary["bad_rows_by_feed"]
