"""The leaks of issue 14, each replayed on small hand-made gold marts and published for real
(dashboards.publish): the ministry's location must now pass the audit, with the small cells
suppressed. Where the leak was a subtraction, the same published files with the cells the old
pages showed put back (what the old code printed) fail the audit — the attack the test runs.
Where it was a small cell printed outright (a rule not applied), the docstring gives what the
old page printed and the test checks the cell is now suppressed."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from dashboards.disclosure.audit import audit_location
from dashboards.publish import publish_site
from dashboards.settings import local

D = date


def _gold(root: Path, marts: dict[str, list[dict]]) -> Path:
    gold = root / "gold"
    gold.mkdir(parents=True)
    for name, rows in marts.items():
        pq.write_table(pa.Table.from_pylist(rows), gold / f"{name}.parquet")
    return gold


def _publish(tmp_path: Path, marts: dict[str, list[dict]]) -> Path:
    publish_site(str(_gold(tmp_path, marts)), local(str(tmp_path / "site")))
    return tmp_path / "site" / "ministry"


def _cells(location: Path) -> list[dict]:
    with (location / "cells.csv").open(encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def _cell(location: Path, table: str, measure: str, **key) -> dict:
    for c in _cells(location):
        if c["table_id"] == table and c["measure"] == measure and json.loads(c["row_key"]) == key:
            return c
    raise KeyError((table, measure, key))


def _table(location: Path, table: str) -> list[list[str]]:
    return list(csv.reader((location / f"tables/{table}.csv").read_text(encoding="utf-8-sig").splitlines()))


def _as_the_old_pages_showed(location: Path, table: str, measures: tuple[str, ...], values: dict) -> None:
    """Put back into cells.csv the figures the old pages printed: every secondary suppression of
    ``table``'s ``measures`` (the old pages had none there) with its true value."""
    rows = _cells(location)
    for c in rows:
        if c["table_id"] == table and c["measure"] in measures and c["suppressed"] == "secondary":
            c["value"], c["suppressed"] = str(values[(c["row_key"], c["measure"])]), ""
    with (location / "cells.csv").open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _wage_row(workers, businesses, below, below_businesses, **extra):
    return dict(fiscal_year=2026, workers_surveyed=workers, businesses_surveyed=businesses,
                median_observed_annual_yen=5_000_000, mean_guideline_annual_yen=5_200_000,
                workers_with_guideline=workers, businesses_with_guideline=businesses, workers_below_guideline=below,
                businesses_below_guideline=below_businesses, share_below_guideline=below / workers, **extra)


def test_a_level_total_minus_its_occupations(tmp_path):
    """Level 1: 120 workers surveyed, 36 below the guideline. Occupations: A 60 (15 below), B 55
    (18 below), C 5 (3 below) of 2 businesses. The old page hid C's row and printed the level
    row and the others: 120 - 60 - 55 = 5 workers and 36 - 15 - 18 = 3 below the guideline."""
    location = _publish(tmp_path, {
        "wage_level_compliance_national_levels": [_wage_row(120, 12, 36, 8, level=1,
                                                            published_2023_middle_annual_yen=5_010_000)],
        "wage_level_compliance_national": [
            _wage_row(w, b, below, bb, level=1, occupation_code=o)
            for o, w, b, below, bb in (("10-01", 60, 6, 15, 4), ("06-01", 55, 5, 18, 3), ("01-01", 5, 2, 3, 1))],
    })
    assert audit_location(location) == []
    assert _cell(location, "wages_by_occupation", "workers_surveyed", level=1, occupation_code="01-01")["suppressed"] == "primary"
    assert _cell(location, "wages_by_level", "workers_surveyed", level=1)["value"] == "120"
    # the old page's figures put back: C's 5 workers and 3 below are exact again
    truth = {}
    for o, w, below in (("10-01", 60, 15), ("06-01", 55, 18), ("01-01", 5, 3)):
        key = json.dumps({"level": 1, "occupation_code": o}, separators=(",", ":"))
        truth.update({(key, "workers_surveyed"): w, (key, "workers_below_guideline"): below,
                      (key, "workers_with_guideline"): w})
    _as_the_old_pages_showed(location, "wages_by_occupation",
                             ("workers_surveyed", "workers_below_guideline", "workers_with_guideline"), truth)
    found = {(f.key[2], f.low, f.high) for f in audit_location(location) if '"01-01"' in f.key[1]}
    assert ("workers_surveyed", 5, 5) in found and ("workers_below_guideline", 3, 3) in found


def _worktime(prefecture, occupation, month, over_100h, businesses_100h, workers=200, businesses=20):
    return dict(month=month, prefecture_code=prefecture, occupation_code=occupation, caps_in_force=True,
                workers=workers, businesses=businesses, workers_over_100h=over_100h, workers_over_80h_avg=0,
                workers_over_45h_7th_month=0, workers_over_720h=0, businesses_over_100h=businesses_100h,
                businesses_over_80h_avg=0, businesses_over_45h_7th_month=0, businesses_over_720h=0)


def test_one_worker_over_a_cap_inside_a_published_prefecture_row(tmp_path):
    """宮城県 (04): 300 workers, and 1 of them over 100 h in May. The old table suppressed a row
    only by its total (300 worker-months: shown), so it printed 宮城県 = 1 worker over the cap.
    Now the cell rests on its own 1 worker (primary), and the rest of the column is chosen so
    that the national 100-h figure does not give it back."""
    months = (D(2024, 4, 1), D(2024, 5, 1))
    rows = [_worktime("04", "06-01", D(2024, 5, 1), 1, 1, workers=300, businesses=30)]
    rows += [_worktime(p, "06-01", m, n, 9) for p, n in (("13", 25), ("27", 14), ("23", 11)) for m in months]
    location = _publish(tmp_path, {"worktime_violations_monthly": rows})
    assert audit_location(location) == []
    miyagi = _cell(location, "worktime_prefectures", "workers_over_100h", prefecture_code="04")
    assert miyagi["suppressed"] == "primary" and miyagi["value"] == ""
    assert [r for r in _table(location, "worktime_prefectures") if r[0] == "04"][0][2] == "X"
    # the old table's column: every prefecture's figure printed but 宮城県's -> 1 exactly
    truth = {(json.dumps({"prefecture_code": p}, separators=(",", ":")), "workers_over_100h"): 2 * n
             for p, n in (("13", 25), ("27", 14), ("23", 11))}
    truth[(json.dumps({"prefecture_code": "*"}, separators=(",", ":")), "workers_over_100h")] = 101
    _as_the_old_pages_showed(location, "worktime_prefectures", ("workers_over_100h",), truth)
    assert any(f.low == f.high == 1 and '"04"' in f.key[1] for f in audit_location(location))


def test_a_national_row_that_is_one_small_prefecture(tmp_path):
    """One prefecture (01) of 7 workers with 建退共 days due. The old table hid 01 and always
    printed the national row (its business count stood in as 10**9): the national row was 01."""
    location = _publish(tmp_path, {"kentaikyo_prefecture_monthly": [dict(
        prefecture_code="01", month=D(2024, 5, 1), workers_due=7, businesses_due=2, days_due=40, covered_days=30,
        shortfall_yen=3_200, workers_short=2, businesses_short=1, sites=1)]})
    assert audit_location(location) == []
    national = _cell(location, "kentaikyo_prefectures", "days_due", prefecture_code="*")
    month = _cell(location, "kentaikyo_monthly", "days_due", month="2024-05")
    assert national["suppressed"] == "primary" and month["suppressed"] == "primary"
    rows = _table(location, "kentaikyo_prefectures")
    assert [r for r in rows if r[0] == "*"][0][2:] == ["X", "X", "X", "X"]
    # the old national row put back: 01's days due are the national 40
    truth = {(json.dumps({"prefecture_code": "*"}, separators=(",", ":")), "days_due"): 40}
    rows = _cells(location)
    for c in rows:
        if c["table_id"] == "kentaikyo_prefectures" and c["row_key"] == '{"prefecture_code":"*"}' and c["measure"] == "days_due":
            c["value"], c["suppressed"] = "40", ""
    with (location / "cells.csv").open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    assert truth and any(f.low == f.high == 40 for f in audit_location(location))


def _national(month, workers, businesses):
    return dict(month=month, registered_workers=workers, registered_businesses=businesses,
                registered_businesses_excl_sole=businesses, new_workers=0, new_businesses=0, active_workers=0,
                work_history_days=0, sites_registered=0, sites_with_card_reader=0)


def _by_prefecture(month, prefecture, workers, businesses):
    return dict(month=month, prefecture_code=prefecture, registered_workers=workers,
                registered_worker_businesses=businesses, new_workers=0, new_worker_businesses=0, active_workers=0,
                active_worker_businesses=0, work_history_days=0, work_history_workers=0, work_history_businesses=0)


def test_modelled_national_months_of_one_to_three_workers(tmp_path):
    """The national series starts with months of 1, 2 and 3 registered workers (of 1, 1 and 2
    businesses). The old chart plotted them (and its table of the series in the hover); now
    they are suppressed like any cell, the later months (12 and 40 workers) are drawn."""
    months = [D(2024, m, 1) for m in (1, 2, 3, 4, 5)]
    counts = [(1, 1), (2, 1), (3, 2), (12, 3), (40, 8)]
    location = _publish(tmp_path, {
        "adoption_national": [_national(m, w, b) for m, (w, b) in zip(months, counts)],
        "adoption_prefecture_monthly": [_by_prefecture(m, "13", w, b) for m, (w, b) in zip(months, counts)],
    })
    assert audit_location(location) == []
    states = [_cell(location, "registered_workers_monthly", "registered_workers", month=f"2024-{m:02d}")["suppressed"]
              for m in range(1, 6)]
    assert states == ["primary", "primary", "primary", "", ""]
    page = (location / "index.html").read_text(encoding="utf-8")
    spec = json.loads(page.split('id="chart-workers-spec">')[1].split("</script>")[0])
    assert spec["figure"]["data"][0]["y"] == [None, None, None, 12, 40]


def _score(site, kind, prime, points):
    return dict(site_id=site, model_project_type=kind, prime_business_id=prime, points=points,
                avg_business_registration_rate=0.9, avg_worker_registration_rate=0.8, avg_card_touch_rate=0.6)


def _closure(site, kind, prime):
    return dict(site_id=site, prime_business_id=prime, is_public_works=True, two_days_off_type=kind,
                counted_days=100, closed_days=30, meets_4w8c_whole_period=True, meets_4w8c_monthly=False,
                meets_declared_type=True)


def test_model_project_and_closure_tables_apply_the_business_rule(tmp_path):
    """Mandatory model projects: 2 sites of 2 primes; recommended: 4 sites of 4 primes. 4週8休:
    'monthly' has 1 site of 1 prime. The old ministry tables printed every count (2 projects,
    their points and mean rates; 1 monthly site with its closure rate) with no business rule,
    while the association pages applied one to the same figures."""
    location = _publish(tmp_path, {
        "model_project_scores": [_score("S1", "mandatory", "P1", 1), _score("S2", "mandatory", "P2", 0)]
        + [_score(f"S{i}", "recommended", f"P{i}", 2) for i in range(3, 7)],
        "site_closure": [_closure("S1", "monthly", "P1")] + [_closure(f"S{i}", "whole_period", f"P{i}") for i in range(2, 6)],
    })
    assert audit_location(location) == []
    mandatory = [r for r in _table(location, "model_projects") if r[0] == "mandatory"][0]
    # every figure of the 2 primes' sites (a count of none, 0, is "-": nobody is behind it)
    assert mandatory[2:] == ["X", "X", "-", "X", "X", "-", "X", "X", "X"]
    recommended = [r for r in _table(location, "model_projects") if r[0] == "recommended"][0]
    assert recommended[2:4] == ["4", "4"]
    monthly = [r for r in _table(location, "closure") if r[0] == "monthly"][0]
    # sites, counted and closed days, the rate, meeting it over the period; 0 meet it monthly
    assert monthly[2:] == ["X", "X", "X", "X", "X", "-", "X"]
    whole = [r for r in _table(location, "closure") if r[0] == "whole_period"][0]
    assert whole[2:6] == ["4", "400", "120", "30.0"]


def test_rankings_apply_the_business_rule(tmp_path):
    """May 2024: 13 has 400 workers of 40 businesses, 27 has 50 workers of 2 businesses, 23 has
    30 of 6. adoption_monthly had no business counts, so the old ranking printed 27's 50 (only the
    worker rule could apply); now 27 is suppressed, and its complement so that 全国 - the rest
    does not give it back."""
    month = D(2024, 5, 1)
    rows = [_by_prefecture(month, p, w, b) for p, w, b in (("13", 400, 40), ("27", 50, 2), ("23", 30, 6))]
    location = _publish(tmp_path, {"adoption_national": [_national(month, 480, 48)],
                                   "adoption_prefecture_monthly": rows})
    assert audit_location(location) == []
    assert _cell(location, "prefectures", "registered_workers", prefecture_code="27")["suppressed"] == "primary"
    assert _cell(location, "prefectures", "registered_workers", prefecture_code="23")["suppressed"] == "secondary"
    assert _cell(location, "prefectures", "registered_workers", prefecture_code="*")["value"] == "480"
    page = (location / "index.html").read_text(encoding="utf-8")
    spec = json.loads(page.split('id="chart-prefectures-spec">')[1].split("</script>")[0])
    assert spec["figure"]["data"][0]["y"] == ["13"]                       # only the published bar is drawn
