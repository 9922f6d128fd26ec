"""What feeds.md asks of the simulator beyond the feed files' format: the `simulation.json`
marker, `birth_date` on every worker row, `orderer_code` on most public sites, and, for the sample
scales, the work history since CCUS's launch in the first attendance file, from which the
platform finds the level criteria met that test_calibration.py computes.

Files are read with the standard library (csv, json), independently of the platform's reader.
"""
from __future__ import annotations

import collections
import csv
import dataclasses
import datetime as dt
import io
import json
import re
from pathlib import Path

import duckdb
import pytest

from ccus.feeds.inbox import Inbox
from simulator import SCALES, simulate
from simulator.orderers import check_digit, local_code
from simulator.population import build_world
from simulator.simulate import work_history_days
from tests.eligibility import eligible_levels


def rows_of(path: Path) -> list[dict[str, str]]:
    """The rows of a feed file (any of the encodings feeds.md allows), by header name; the lines
    broken on purpose (field_count, malformed_json) are left out."""
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp932")
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in text.splitlines() if line.startswith("{") and line.endswith("}")]
    rows = csv.DictReader(io.StringIO(text, newline=""))
    return [r for r in rows if None not in r and None not in r.values()]     # not the deliberately short lines


def day(text: str) -> dt.date | None:
    """A feed date (YYYY-MM-DD or YYYY/MM/DD); None for the deliberately invalid ones."""
    try:
        return dt.date.fromisoformat(text[:10].replace("/", "-"))
    except ValueError:
        return None


def first(row: dict, *names: str) -> str:
    """The value of the first of `names` (English or Japanese header) the row has."""
    return next(row[n] for n in names if n in row) or ""


@pytest.fixture(scope="module")
def tiny_history(tmp_path_factory):
    """tiny with the work history since the launch (small's; tiny itself has none)."""
    out = tmp_path_factory.mktemp("tiny_history")
    return out, simulate(dataclasses.replace(SCALES["tiny"], history=True), out)


@pytest.fixture(scope="module")
def sites_sample(tmp_path_factory):
    """A few thousand sites: 3 days of a 5 000-worker sample without history."""
    out = tmp_path_factory.mktemp("sites")
    p = dataclasses.replace(SCALES["small"], workers=5_000, history=False)
    simulate(p, out, days=3)
    return [r for path in sorted((out / "sites").iterdir()) for r in rows_of(path)]


# ---------------------------------------------------------------------------------------------
# simulation.json
# ---------------------------------------------------------------------------------------------
def test_simulation_json_marks_the_inbox(tiny, tmp_path):
    out, summary = tiny
    marker = json.loads((out / "simulation.json").read_text(encoding="utf-8"))
    assert list(marker) == ["scale", "seed", "start", "days", "sample_fraction"]
    assert (marker["scale"], marker["seed"], marker["start"], marker["days"]) == ("tiny", 42, "2024-04-01", 14)
    assert [type(marker[k]) for k in marker] == [str, int, str, int, float]
    # 60 workers on the last day, 2024-04-14, against the published national series there:
    # 1,261,944 on 2023-08-31, 1,626,545 on 2025-03-31 (578 days later); 2024-04-14 is 227 days
    # after the first: 1,261,944 + 364,601 × 227 / 578 = 1,405,136.9 workers
    assert marker["sample_fraction"] == pytest.approx(60 / (1_261_944 + 364_601 * 227 / 578), rel=1e-9)
    # the marker is not a delivery: the platform's inbox listing skips it
    assert "simulation.json" not in {f.path for f in Inbox(out).files()}
    simulate("tiny", tmp_path, start=dt.date(2025, 3, 18), days=14, seed=3)
    other = json.loads((tmp_path / "simulation.json").read_text(encoding="utf-8"))
    assert other == {"scale": "tiny", "seed": 3, "start": "2025-03-18", "days": 14,
                     "sample_fraction": pytest.approx(60 / 1_626_545, rel=1e-9)}   # ends on a published day


# ---------------------------------------------------------------------------------------------
# birth_date
# ---------------------------------------------------------------------------------------------
def test_every_worker_row_has_a_birth_date(tiny):
    out, _ = tiny
    rows = [r for path in sorted((out / "workers").iterdir()) for r in rows_of(path)]
    assert len(rows) >= 60
    for r in rows:
        born = first(r, "birth_date", "生年月日")
        assert re.fullmatch(r"(19|20)\d\d[-/]\d\d[-/]\d\d", born), born


# ---------------------------------------------------------------------------------------------
# orderer_code
# ---------------------------------------------------------------------------------------------
def test_check_digit_of_local_government_codes():
    # weights 6, 5, 4, 3, 2; check digit = (11 - sum mod 11) mod 10
    assert check_digit("13000") == "1"      # 東京都: 1·6 + 3·5 = 21; 21 mod 11 = 10; 11 - 10 = 1
    assert check_digit("01100") == "2"      # 札幌市: 1·5 + 1·4 = 9; 11 - 9 = 2
    assert check_digit("13101") == "6"      # 千代田区: 6 + 15 + 4 + 2 = 27; 27 mod 11 = 5; 11 - 5 = 6
    assert check_digit("27140") == "3"      # 堺市: 12 + 35 + 4 + 12 = 63; 63 mod 11 = 8; 11 - 8 = 3
    assert local_code("01202") == "012025"  # 函館市: 5 + 8 + 4 = 17; 17 mod 11 = 6; 11 - 6 = 5
    assert check_digit("01101") == "1"      # 札幌市中央区: 5 + 4 + 2 = 11; remainder 0; 11 - 0 = 11: its last digit
    assert check_digit("13113") == "0"      # 渋谷区: 6 + 15 + 4 + 3 + 6 = 34; remainder 1; 11 - 1 = 10: its last digit


def _code_is_valid(code: str) -> bool:
    return code[5] == check_digit(code[:5])


def test_most_public_sites_name_their_orderer(sites_sample):
    by_type: dict[str, list[str]] = collections.defaultdict(list)
    labels = {"国交省直轄": "mlit", "その他国": "national_other", "都道府県": "prefecture", "市区町村": "municipality",
              "公社・公団等": "public_corp", "民間": "private"}
    for r in sites_sample:
        kind = first(r, "orderer_type", "発注者区分")
        by_type[labels.get(kind, kind)].append(first(r, "orderer_code", "発注機関コード"))
    codes = [c for kind, cs in by_type.items() if kind != "private" for c in cs]
    assert len(codes) > 500
    assert 0.6 < sum(bool(c) for c in codes) / len(codes) < 0.95       # most public sites; not all
    assert not any(by_type["private"]) and not any(by_type["public_corp"])
    assert all(re.fullmatch(r"[0-9A-Za-z-]{1,20}", c) for c in codes if c)
    for r in sites_sample:
        code = first(r, "orderer_code", "発注機関コード")
        pref = first(r, "prefecture_code", "都道府県コード")
        if re.fullmatch(r"\d{6}", code):
            assert _code_is_valid(code), code
            assert code[:2] == pref, (code, pref)         # the orderer is of the site's prefecture
    prefecture = [c for c in by_type["prefecture"] if c]
    assert prefecture and all(c[2:5] == "000" for c in prefecture)
    assert all(re.fullmatch(r"\d{6}", c) and c[2:5] != "000" for c in by_type["municipality"] if c)
    assert all(c.startswith("mlit-") for c in by_type["mlit"] if c)
    assert {"mlit-kanto", "mlit-kinki"} <= set(by_type["mlit"])
    assert all(c.startswith("mod-") for c in by_type["national_other"] if c)


# ---------------------------------------------------------------------------------------------
# the work history before the period (tiny and small)
# ---------------------------------------------------------------------------------------------
def test_the_first_attendance_file_carries_the_work_history_since_the_launch(tiny_history):
    out, summary = tiny_history
    assert summary["history_records"] > 1000
    start = dt.date(2024, 4, 1)
    files = sorted((out / "attendance").iterdir())
    assert files[0].name == "attendance_20240401.csv"

    def work_date(r) -> dt.date | None:
        return day(first(r, "work_date", "就業日"))

    history = [r for r in rows_of(files[0]) if (work_date(r) or start) < start]
    years = collections.Counter(work_date(r).year for r in history)
    assert set(years) >= {2020, 2021, 2022, 2023}, years
    assert min(work_date(r) for r in history) >= dt.date(2019, 4, 1)
    assert years[2023] > years[2020]                        # registrations (and sites) grew
    # every record of the past was received by the day of the file that carries it (or the day after)
    for r in history:
        assert day(first(r, "received_at", "受信日時")) <= start, r
    # later files hold only records of the last ten days before the period among their past dates
    for path in files[1:]:
        for r in rows_of(path):
            assert (work_date(r) or start) >= start - dt.timedelta(days=10), (path.name, r)
    # the sites of the past are in the site registry's first delivery, ended ones included
    sites = {first(r, "site_id", "現場ID"): r for r in rows_of(out / "sites" / "sites_20240401.csv")}
    used = {first(r, "site_id", "現場ID") for r in history}
    assert used <= set(sites)
    ended = [s for s in used if day(first(sites[s], "end_on", "工期終了")) < start]
    assert ended, "no site of the history ended before the period"
    # foremen and subforemen lead the crews of the past too
    roles = collections.Counter(first(r, "role", "立場") for r in history)
    assert roles["foreman"] + roles["職長"] > 0 and roles["general"] + roles["一般"] > roles["foreman"] + roles["職長"]


def test_a_scale_without_history_starts_its_work_history_with_the_period(tiny):
    out, summary = tiny
    assert not SCALES["tiny"].history and summary["history_records"] == 0
    dates = [day(first(r, "work_date", "就業日")) for path in (out / "attendance").iterdir() for r in rows_of(path)]
    assert len(dates) > 20 and all(d is None or d >= dt.date(2024, 4, 1) for d in dates)


def test_the_platform_finds_the_criteria_met_the_calibration_computes(simulated_tiny_run):
    """tests/eligibility.py (what test_calibration.py holds against the published level
    judgements) is metrics.md §2 as the platform computes it: on the suite's simulated tiny run
    (`ccus simulate --scale tiny --seed 11`, then `ccus run`), the gold level_eligibility mart
    counts the same workers per (current level, eligible level). (The same held, cell for cell,
    on a `make run`-sized small run with its 1.7 M records of history; too slow for the suite.)"""
    p = SCALES["tiny"]
    world = build_world(p, p.start, p.days, 11)
    current, eligible = eligible_levels(world, work_history_days(world))
    simulated = collections.Counter(zip(current.tolist(), eligible.tolist()))
    gold = simulated_tiny_run / "lh" / "gold" / "level_eligibility.parquet"
    rows = duckdb.sql(f"select current_level, eligible_level, sum(workers) from read_parquet('{gold}') "
                      "group by all").fetchall()
    assert {(c, e): int(n) for c, e, n in rows} == dict(simulated)
    assert sum(simulated.values()) == 60
