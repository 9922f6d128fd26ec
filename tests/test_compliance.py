"""Compliance marts (metrics.md §4-§7) on hand-made data, every figure computed by hand below.

1. `dbt build` over a hand-made bronze lakehouse (tests/bronze_factory.py), then the marts are
   read back from the DuckDB file. The formulas' boundaries are dbt unit tests in the models'
   YAML; here the whole chain runs on one scenario.
2. One end-to-end run of the real `ccus run` CLI on a small inbox written below: the six contract
   marts reach gold/ with the contract columns and hand-computed figures.

The dbt scenario (public works unless said otherwise):

  businesses  B1 pref 13 (prime of M, R, P), B2 pref 13 (prime of K), B3 pref 27
  workers     W1 B1 06-01 member no.   W2 B3 10-01 member no.   W3 B1 10-01 no member no.
              W4 B2 06-01 member no.   W5 B1 02-01 no member no.
  sites       M  mandatory model project, mlit, pref 13, 2024-04-01..2024-10-31, electronic,
                 whole_period; construction system B1 (tier 0), B3, L1 (unregistered, 05-01)
              R  recommended, prefecture, pref 27, 2024-04-01..2024-06-30, electronic, monthly;
                 B1 (tier 0), B3 with a stamp exception
              K  no model project, municipality, pref 13, 2021-09-01..2021-10-31, stamp
              P  private, pref 13, 2024-04-01..2024-04-28 (4 weeks), roster Mon-Fri only
  work history (site, date, on site -> work, overtime)
              W1 M 04-01 08-17 (9 h -> 8 h, 0); 04-02 08-19 (11 h -> 10 h, 2 h);
                 04-29 (昭和の日) 08-12 (4 h of holiday work, no roster row); 05-07 08-17; 10-31 08-17
              W2 M 04-01 08-17; 05-07 08:00 no exit (unknown hours); R 05-08, 05-09 08-17
              W3 M 04-03 08-14 (exactly 6 h: no break; no roster row)
              W4 K 2021-09-30 and 2021-10-01 08-17 (310 yen, then 320 yen)
              W5 P ten weekdays 04-01..04-12, 06:00-01:00 (19 h -> 18 h -> 10 h overtime):
                 exactly 100 h in April 2024
  rosters     M 04-01 W1, W2, P1 (no CCUS id; health not_enrolled, admitted: a violation)
                04-02 W1, W3 (pension unknown, refused); 05-07 W1, W2; 10-31 W1
              R 05-08, 05-09 W2 (employment exempt: fine)
              P every weekday 04-01..04-26 W3 (20 person-days, checked through documents)
  kentaikyo   2024-04 M B1 W1 electronic 2 days 640 yen
              2024-05 M B1 W1 electronic 1 day 320; M B3 W2 stamp 3 days 960 (B3 has no stamp
                 exception at M: a mixed-method month; 3 days > 1 work-history day)
              2024-05 R B3 W2 stamp 2 days 640 (stamp exception at R: not mixed)
              2021-09 K B2 W4 stamp 1 day 310
"""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

try:
    from bronze_factory import BronzeLake
except ModuleNotFoundError:  # tests/ imported as a package
    from tests.bronze_factory import BronzeLake
try:
    from dbt_runner import dbt_build as build
except ModuleNotFoundError:  # tests/ imported as a package
    from tests.dbt_runner import dbt_build as build

BIN = Path(sys.executable).parent
D = dt.date

B1, B2, B3 = "00000000000001", "00000000000002", "00000000000003"
M, R, K, P = "20000000000001", "20000000000002", "20000000000003", "20000000000004"
W1, W2, W3, W4, W5, P1 = "wk-1", "wk-2", "wk-3", "wk-4", "wk-5", "pk-p1"

SIX_MARTS = {
    "model_project_measurements": ["site_id", "measured_on", "business_registration_rate",
                                   "worker_registration_rate", "card_touch_rate", "registered_businesses",
                                   "businesses", "registered_persons", "persons", "touched_person_days",
                                   "roster_person_days", "unrostered_work_history_days"],
    "model_project_scores": ["site_id", "model_project_type", "avg_business_registration_rate",
                             "avg_worker_registration_rate", "avg_card_touch_rate", "points"],
    "kentaikyo_site_monthly": ["site_id", "month", "days_due", "amount_due_yen", "days_reported",
                               "amount_reported_yen", "coverage", "shortfall_yen", "is_mixed_method"],
    "insurance_site_monthly": ["site_id", "month", "person_days", "checked_ccus", "checked_document",
                               "not_checked", "admitted_uninsured_person_days"],
    "worktime_violations_monthly": ["month", "prefecture_code", "occupation_code", "workers",
                                    "workers_over_100h", "workers_over_80h_avg",
                                    "workers_over_45h_7th_month", "workers_over_720h"],
    "site_closure": ["site_id", "counted_days", "closed_days", "closure_rate", "meets_4w8c_whole_period",
                     "meets_4w8c_monthly"],
}


# ------------------------------------------------------------------ the hand-made bronze

def business(business_id, pref):
    return {"business_id": business_id, "business_name": f"株式会社{business_id[-1]}", "prefecture_code": pref,
            "is_sole_proprietor": False, "capital_yen": None, "employee_count": 20,
            "registered_on": "2020-01-10", "association_codes": [], "health_insurance": "enrolled",
            "pension_insurance": "enrolled", "employment_insurance": "enrolled",
            "kentaikyo_contractor_no": "K1", "updated_at": "2020-01-10T10:00:00", "is_withdrawn": False}


def worker(key, employer, occupation, member):
    return {"worker_key": key, "birth_year": 1980, "employer_business_id": employer,
            "occupation_code": occupation, "registration_type": "detailed", "registered_on": "2020-02-01",
            "level": 2, "level_judged_on": None, "qualifications": [], "experience_start_on": "2005-04-01",
            "health_insurance": "enrolled", "pension_insurance": "enrolled", "employment_insurance": "enrolled",
            "insurance_verified_on": "2020-02-01", "has_kentaikyo_member_no": member,
            "updated_at": "2020-02-01T09:00:00"}


def site(site_id, *, public, model, orderer, pref, start, end, method, days_off, prime=B1):
    return {"site_id": site_id, "site_name": f"現場{site_id[-1]}", "prefecture_code": pref,
            "orderer_type": orderer, "is_public_works": public, "model_project_type": model,
            "contract_amount_yen": 300_000_000, "start_on": start, "end_on": end,
            "prime_business_id": prime, "kentaikyo_method": method, "card_reader_installed": True,
            "two_days_off_type": days_off, "registered_on": "2020-06-01", "updated_at": "2020-06-01T09:00:00"}


def contract(site_id, ref, registered, tier, joined, upper=None, stamp_exception=False):
    return {"site_id": site_id, "business_ref": ref, "is_ccus_registered": registered,
            "upper_business_ref": upper, "tier": tier, "joined_on": joined, "left_on": None,
            "stamp_exception": stamp_exception}


def roster(site_id, day, person, registered, business_ref, check="ccus", health="enrolled",
           pension="enrolled", employment="enrolled", admitted=True):
    return {"site_id": site_id, "work_date": day, "business_ref": business_ref, "person_key": person,
            "is_ccus_registered": registered, "role": "general", "occupation_code": "06-01",
            "insurance_check": check, "health_insurance": health, "pension_insurance": pension,
            "employment_insurance": employment, "admitted": admitted}


_records = iter(range(1, 10_000))


def touch(worker_key, site_id, day, entered, exited, employer, next_day_exit=False):
    exit_day = (D.fromisoformat(day) + dt.timedelta(days=1)).isoformat() if next_day_exit else day
    return {"record_id": f"r{next(_records)}", "site_id": site_id, "worker_key": worker_key,
            "employer_business_id": employer, "work_date": day, "entered_at": f"{day}T{entered}",
            "exited_at": exited and f"{exit_day}T{exited}", "role": "general", "occupation_code": "06-01",
            "input_method": "card_reader", "device_id": None, "received_at": f"{exit_day}T23:00:00"}


def report(month, site_id, business_id, worker_key, method, days, amount):
    return {"year_month": month, "site_id": site_id, "business_id": business_id, "worker_key": worker_key,
            "method": method, "days_reported": days, "amount_yen": amount}


def weekdays(first: D, last: D) -> list[str]:
    days, d = [], first
    while d <= last:
        if d.weekday() < 5:
            days.append(d.isoformat())
        d += dt.timedelta(days=1)
    return days


def build_scenario(lake: BronzeLake) -> None:
    lake.add_file("businesses", "2024-01-05", [business(B1, "13"), business(B2, "13"), business(B3, "27")])
    lake.add_file("workers", "2024-01-05", [
        worker(W1, B1, "06-01", True), worker(W2, B3, "10-01", True), worker(W3, B1, "10-01", False),
        worker(W4, B2, "06-01", True), worker(W5, B1, "02-01", False)])
    lake.add_file("sites", "2024-01-05", [
        site(M, public=True, model="mandatory", orderer="mlit", pref="13", start="2024-04-01",
             end="2024-10-31", method="electronic", days_off="whole_period"),
        site(R, public=True, model="recommended", orderer="prefecture", pref="27", start="2024-04-01",
             end="2024-06-30", method="electronic", days_off="monthly"),
        site(K, public=True, model="none", orderer="municipality", pref="13", start="2021-09-01",
             end="2021-10-31", method="stamp", days_off="none", prime=B2),
        site(P, public=False, model="none", orderer="private", pref="13", start="2024-04-01",
             end="2024-04-28", method="none", days_off="whole_period"),
    ])
    lake.add_file("site_contracts", "2024-01-05", [
        contract(M, B1, True, 0, "2024-04-01"),
        contract(M, B3, True, 1, "2024-04-01", upper=B1),
        contract(M, "L1", False, 2, "2024-05-01", upper=B3),
        contract(R, B1, True, 0, "2024-04-01"),
        contract(R, B3, True, 1, "2024-04-01", upper=B1, stamp_exception=True),
        contract(K, B2, True, 0, "2021-09-01"),
    ])

    rosters = {
        "2024-04-01": [roster(M, "2024-04-01", W1, True, B1), roster(M, "2024-04-01", W2, True, B3),
                       roster(M, "2024-04-01", P1, False, "L1", check="document", health="not_enrolled")],
        "2024-04-02": [roster(M, "2024-04-02", W1, True, B1),
                       roster(M, "2024-04-02", W3, True, B1, check="none", pension="unknown", admitted=False)],
        "2024-05-07": [roster(M, "2024-05-07", W1, True, B1), roster(M, "2024-05-07", W2, True, B3)],
        "2024-05-08": [roster(R, "2024-05-08", W2, True, B3, employment="exempt")],
        "2024-05-09": [roster(R, "2024-05-09", W2, True, B3, employment="exempt")],
        "2024-10-31": [roster(M, "2024-10-31", W1, True, B1)],
    }
    for day in weekdays(D(2024, 4, 1), D(2024, 4, 26)):
        rosters.setdefault(day, []).append(roster(P, day, W3, True, B1, check="document"))
    for day, rows in sorted(rosters.items()):
        lake.add_file("rosters", day, rows)

    attendance = [
        touch(W1, M, "2024-04-01", "08:00:00", "17:00:00", B1),
        touch(W1, M, "2024-04-02", "08:00:00", "19:00:00", B1),
        touch(W1, M, "2024-04-29", "08:00:00", "12:00:00", B1),
        touch(W1, M, "2024-05-07", "08:00:00", "17:00:00", B1),
        touch(W1, M, "2024-10-31", "08:00:00", "17:00:00", B1),
        touch(W2, M, "2024-04-01", "08:00:00", "17:00:00", B3),
        touch(W2, M, "2024-05-07", "08:00:00", None, B3),
        touch(W2, R, "2024-05-08", "08:00:00", "17:00:00", B3),
        touch(W2, R, "2024-05-09", "08:00:00", "17:00:00", B3),
        touch(W3, M, "2024-04-03", "08:00:00", "14:00:00", B1),
        touch(W4, K, "2021-09-30", "08:00:00", "17:00:00", B2),
        touch(W4, K, "2021-10-01", "08:00:00", "17:00:00", B2),
    ]
    attendance += [touch(W5, P, day, "06:00:00", "01:00:00", B1, next_day_exit=True)
                   for day in weekdays(D(2024, 4, 1), D(2024, 4, 12))]
    by_received: dict[str, list] = {}
    for row in attendance:
        by_received.setdefault(row["received_at"][:10], []).append(row)
    for day, rows in sorted(by_received.items()):
        lake.add_file("attendance", day, rows)

    lake.add_file("kentaikyo", "2021-09-01", [report("2021-09-01", K, B2, W4, "stamp", 1, 310)])
    lake.add_file("kentaikyo", "2024-04-01", [report("2024-04-01", M, B1, W1, "electronic", 2, 640)])
    lake.add_file("kentaikyo", "2024-05-01", [
        report("2024-05-01", M, B1, W1, "electronic", 1, 320),
        report("2024-05-01", M, B3, W2, "stamp", 3, 960),
        report("2024-05-01", R, B3, W2, "stamp", 2, 640),
    ])


def dbt_build(tmp_path: Path, lakehouse_root: str) -> tuple[subprocess.CompletedProcess, Path]:
    return build(tmp_path, lakehouse_root)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("compliance")
    lake = BronzeLake(tmp_path / "lakehouse")
    build_scenario(lake)
    lake.write()
    result, path = dbt_build(tmp_path, str(lake.root))
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    assert "ERROR=0" in result.stdout, result.stdout[-3000:]
    con = duckdb.connect(str(path), read_only=True)
    yield con
    con.close()


def rows(con, sql):
    return con.execute(sql).fetchall()


def mart(con, name: str, key: tuple[str, ...], where: str = "true") -> dict:
    """{key tuple: row dict} of a mart."""
    cur = con.execute(f"select * from marts.{name} where {where}")
    names = [d[0] for d in cur.description]
    out = {}
    for values in cur.fetchall():
        row = dict(zip(names, values))
        out[tuple(row[k] for k in key) if len(key) > 1 else row[key[0]]] = row
    return out


# ------------------------------------------------------------------ the dbt scenario

def test_contract_marts_have_their_columns_and_no_worker_ids(warehouse):
    columns = {}
    for table, column in rows(warehouse, "select table_name, column_name from information_schema.columns "
                                         "where table_schema = 'marts'"):
        columns.setdefault(table, []).append(column)
    for name, wanted in SIX_MARTS.items():
        assert set(wanted) <= set(columns[name]), (name, set(wanted) - set(columns[name]))
    for name in (*SIX_MARTS, "kentaikyo_business_monthly", "insurance_prime_monthly", "insurance_orderer_monthly",
                 "site_closure_by_orderer", "site_closure_monthly"):
        assert not {"worker_key", "person_key", "worker_id", "person_ref"} & set(columns[name]), name
    types = dict(rows(warehouse, "select table_name || '.' || column_name, data_type from information_schema.columns "
                                 "where table_schema = 'marts'"))
    assert types["model_project_measurements.card_touch_rate"] == "DOUBLE"
    assert types["kentaikyo_site_monthly.amount_due_yen"] == "BIGINT"
    assert types["kentaikyo_site_monthly.month"] == "DATE"
    assert types["kentaikyo_site_monthly.is_mixed_method"] == "BOOLEAN"
    assert types["site_closure.closure_rate"] == "DOUBLE"
    assert types["worktime_violations_monthly.workers_over_100h"] == "BIGINT"


def test_model_project_measurements(warehouse):
    got = mart(warehouse, "model_project_measurements", ("site_id", "measured_on"))
    # M: month 6 = 2024-10-01, then 2025-01-01 is past end_on -> end_on 2024-10-31.
    # R: month 6 (2024-10-01) is past end_on -> end_on 2024-06-30 only.
    assert sorted(got) == [(M, D(2024, 10, 1)), (M, D(2024, 10, 31)), (R, D(2024, 6, 30))]
    first = got[(M, D(2024, 10, 1))]
    # businesses B1, B3, L1 (unregistered) -> 2/3; persons W1, W2, W3, P1 (no CCUS id) -> 3/4;
    # person-days 04-01 x3, 04-02 x2, 05-07 x2 = 7, touched W1 x3 + W2 x2 = 5 (P1 can't, W3 didn't);
    # work-history days without a roster row: W3 04-03, W1 04-29 -> 2
    assert (first["registered_businesses"], first["businesses"], first["registered_persons"], first["persons"],
            first["touched_person_days"], first["roster_person_days"], first["untouched_person_days"],
            first["unrostered_work_history_days"]) == (2, 3, 3, 4, 5, 7, 2, 2)
    assert first["business_registration_rate"] == pytest.approx(2 / 3)
    assert first["worker_registration_rate"] == 0.75
    assert first["card_touch_rate"] == pytest.approx(5 / 7)
    last = got[(M, D(2024, 10, 31))]
    assert (last["touched_person_days"], last["roster_person_days"], last["card_touch_rate"]) == (6, 8, 0.75)
    assert (got[(R, D(2024, 6, 30))]["business_registration_rate"], got[(R, D(2024, 6, 30))]["card_touch_rate"]) == (1.0, 1.0)


def test_model_project_scores(warehouse):
    got = mart(warehouse, "model_project_scores", ("site_id",))
    assert set(got) == {M, R}   # K has no model project, P is private
    m = got[M]
    assert m["measurements"] == 2
    assert m["avg_business_registration_rate"] == pytest.approx(2 / 3)
    assert m["avg_card_touch_rate"] == pytest.approx((5 / 7 + 6 / 8) / 2)
    # mandatory, business 66.7 % < 70 % -> -1
    assert (m["meets_target_all_three"], m["is_below_minimum"], m["points"]) == (False, True, -1)
    # recommended, 100 % / 100 % / 100 % -> +1, and the worker rate >= 90 % -> +1
    assert (got[R]["meets_target_all_three"], got[R]["meets_extra_worker_rate"], got[R]["points"]) == (True, True, 2)


def test_kentaikyo_site_monthly(warehouse):
    got = mart(warehouse, "kentaikyo_site_monthly", ("site_id", "month"))
    assert set(got) == {(M, D(2024, 4, 1)), (M, D(2024, 5, 1)), (M, D(2024, 10, 1)), (R, D(2024, 5, 1)),
                        (K, D(2021, 9, 1)), (K, D(2021, 10, 1))}   # P is private
    cols = ("work_history_days", "days_due", "amount_due_yen", "days_reported", "amount_reported_yen",
            "covered_days", "coverage", "shortfall_yen", "is_mixed_method", "is_electronic_without_reports",
            "has_over_reporting")
    pick = {k: tuple(v[c] for c in cols) for k, v in got.items()}
    # M April: W1 3 days due (incl. the holiday 04-29) 960 yen, W2 1 day 320, W3 no member number;
    #   W1 reported 2 days 640 -> covered 2 of 4; shortfall W1 320 + W2 320
    assert pick[(M, D(2024, 4, 1))] == (5, 4, 1280, 2, 640, 2, 0.5, 640, False, False, False)
    # M May: W1 1 due, 1 reported; W2 1 due, 3 reported by stamp (B3 has no exception at M):
    #   mixed methods, over-reporting; covered 1 + min(3, 1) = 2 -> 100 %
    assert pick[(M, D(2024, 5, 1))] == (2, 2, 640, 4, 1280, 2, 1.0, 0, True, False, True)
    # M October: electronic, W1 due 1 day, no report at all
    assert pick[(M, D(2024, 10, 1))] == (1, 1, 320, 0, 0, 0, 0.0, 320, False, True, False)
    # R May: stamp from B3 with a stamp exception: not mixed
    assert pick[(R, D(2024, 5, 1))] == (2, 2, 640, 2, 640, 2, 1.0, 0, False, False, False)
    # K: 310 yen on 2021-09-30, 320 yen on 2021-10-01; a stamp site without reports is not flagged
    assert pick[(K, D(2021, 9, 1))] == (1, 1, 310, 1, 310, 1, 1.0, 0, False, False, False)
    assert pick[(K, D(2021, 10, 1))] == (1, 1, 320, 0, 0, 0, 0.0, 320, False, False, False)
    business = mart(warehouse, "kentaikyo_business_monthly", ("site_id", "month", "business_id"))
    assert business[(M, D(2024, 5, 1), B3)]["is_stamp_method_outside_exception"] is True
    assert business[(M, D(2024, 4, 1), B1)]["is_prime"] is True
    assert (business[(M, D(2024, 4, 1), B1)]["days_due"], business[(M, D(2024, 4, 1), B3)]["days_due"]) == (3, 1)


def test_insurance_site_monthly(warehouse):
    got = mart(warehouse, "insurance_site_monthly", ("site_id", "month"))
    cols = ("person_days", "persons", "checked_ccus", "checked_document", "not_checked", "admitted_person_days",
            "admitted_uninsured_person_days")
    pick = {k: tuple(v[c] for c in cols) for k, v in got.items()}
    assert pick == {
        # P1 (no CCUS id, documents, health not_enrolled, admitted) is a violation; W3 (unknown
        # pension, not checked) was refused: no violation
        (M, D(2024, 4, 1)): (5, 4, 3, 1, 1, 4, 1),
        (M, D(2024, 5, 1)): (2, 2, 2, 0, 0, 2, 0),
        (M, D(2024, 10, 1)): (1, 1, 1, 0, 0, 1, 0),
        (R, D(2024, 5, 1)): (2, 1, 2, 0, 0, 2, 0),     # employment exempt is not a gap
        (P, D(2024, 4, 1)): (20, 1, 0, 20, 0, 20, 0),
    }
    prime = mart(warehouse, "insurance_prime_monthly", ("prime_business_id", "month"))
    assert (prime[(B1, D(2024, 4, 1))]["sites"], prime[(B1, D(2024, 4, 1))]["person_days"],
            prime[(B1, D(2024, 4, 1))]["admitted_uninsured_person_days"]) == (2, 25, 1)
    orderer = mart(warehouse, "insurance_orderer_monthly", ("orderer_type", "month"))
    assert orderer[("mlit", D(2024, 4, 1))]["admitted_uninsured_person_days"] == 1
    assert orderer[("private", D(2024, 4, 1))]["checked_document"] == 20


def test_worktime_violations_monthly(warehouse):
    got = mart(warehouse, "worktime_violations_monthly", ("month", "prefecture_code", "occupation_code"))
    cols = ("workers", "workers_over_100h", "workers_over_80h_avg", "workers_over_45h_7th_month",
            "workers_over_720h", "unknown_hours_days", "caps_in_force")
    pick = {k: tuple(v[c] for c in cols) for k, v in got.items()}
    assert pick == {
        # W4 at K in 2021: reported, caps not in force
        (D(2021, 9, 1), "13", "06-01"): (1, 0, 0, 0, 0, 0, False),
        (D(2021, 10, 1), "13", "06-01"): (1, 0, 0, 0, 0, 0, False),
        (D(2024, 4, 1), "13", "06-01"): (1, 0, 0, 0, 0, 0, True),      # W1
        (D(2024, 4, 1), "13", "10-01"): (1, 0, 0, 0, 0, 0, True),      # W3
        (D(2024, 4, 1), "27", "10-01"): (1, 0, 0, 0, 0, 0, True),      # W2
        (D(2024, 4, 1), "13", "02-01"): (1, 1, 0, 0, 0, 0, True),      # W5: exactly 100 h
        (D(2024, 5, 1), "13", "06-01"): (1, 0, 0, 0, 0, 0, True),
        (D(2024, 5, 1), "27", "10-01"): (1, 0, 0, 0, 0, 1, True),      # W2's day without an exit
        (D(2024, 10, 1), "13", "06-01"): (1, 0, 0, 0, 0, 0, True),
    }
    w1_april = got[(D(2024, 4, 1), "13", "06-01")]
    # 04-01 9 h on site - 1 h = 8 h; 04-02 11 h - 1 h = 10 h (2 h overtime); 04-29 holiday 4 h
    assert (w1_april["work_hours"], w1_april["overtime_hours"], w1_april["holiday_work_hours"]) == (22.0, 2.0, 4.0)
    assert got[(D(2024, 4, 1), "13", "10-01")]["work_hours"] == 6.0      # exactly 6 h: no break
    assert got[(D(2024, 4, 1), "13", "02-01")]["overtime_hours"] == 100.0


def test_site_closure(warehouse):
    got = mart(warehouse, "site_closure", ("site_id",))
    cols = ("period_start", "period_end", "counted_days", "closed_days", "meets_4w8c_whole_period",
            "meets_4w8c_monthly", "meets_declared_type")
    pick = {k: tuple(v[c] for c in cols) for k, v in got.items()}
    assert pick == {
        # 214 days less 13-15 Aug = 211 counted; open 04-01, 04-02, 04-03, 04-29, 05-07, 10-31
        M: (D(2024, 4, 1), D(2024, 10, 31), 211, 205, True, True, True),
        # 91 days, open 05-08 and 05-09
        R: (D(2024, 4, 1), D(2024, 6, 30), 91, 89, True, True, True),
        # 61 days, open 2021-09-30 and 10-01
        K: (D(2021, 9, 1), D(2021, 10, 31), 61, 59, True, True, None),
        # 4 weeks, roster Monday to Friday: the 8 weekend days are closed -> 8/28 = 28.6 % >= 28.5 %
        P: (D(2024, 4, 1), D(2024, 4, 28), 28, 8, True, True, True),
    }
    assert got[P]["closure_rate"] == pytest.approx(8 / 28)
    monthly = mart(warehouse, "site_closure_monthly", ("site_id", "month"))
    assert (monthly[(M, D(2024, 8, 1))]["counted_days"], monthly[(M, D(2024, 8, 1))]["excluded_days"]) == (28, 3)
    by_orderer = mart(warehouse, "site_closure_by_orderer", ("orderer_type", "two_days_off_type"))
    assert by_orderer[("private", "whole_period")]["sites_meeting_declared_type"] == 1


def test_only_contract_and_breakdown_marts_leave_worker_tables_in_the_warehouse(warehouse):
    intermediate = {r[0] for r in rows(warehouse, "select table_name from information_schema.tables "
                                                  "where table_schema = 'intermediate'")}
    assert {"int_worker_worktime_violations", "int_kentaikyo_worker_monthly", "int_roster_person_days"} <= intermediate
    marts = {r[0] for r in rows(warehouse, "select table_name from information_schema.tables "
                                           "where table_schema = 'marts'")}
    assert not {m for m in marts if m.startswith("int_")}


# ------------------------------------------------------------------ end to end through `ccus run`

def _write_inbox(inbox: Path) -> None:
    from tests.inbox_writer import write_csv
    from tests.test_readers import VALID, _rows

    b1, s1 = "00000000000011", "00000000001001"
    w1, w2 = "00000000000101", "00000000000102"
    # the registry delivered on 2024-05-01: its rows' updates (VALID: 2024-05-01) lie within it
    header, data = _rows("businesses", [dict(VALID["businesses"], business_id=b1)])
    write_csv(inbox, "businesses", "businesses_20240501.csv", header, data)
    header, data = _rows("workers", [dict(VALID["workers"], worker_id=w1, employer_business_id=b1),
                                     dict(VALID["workers"], worker_id=w2, employer_business_id=b1,
                                          kentaikyo_member_no="")])
    write_csv(inbox, "workers", "workers_20240501.csv", header, data)
    header, data = _rows("sites", [dict(VALID["sites"], site_id=s1, prime_business_id=b1, start_on="2024-04-01",
                                        end_on="2024-04-30", model_project_type="mandatory",
                                        two_days_off_type="whole_period")])
    write_csv(inbox, "sites", "sites_20240501.csv", header, data)
    header, data = _rows("site_contracts", [
        dict(VALID["site_contracts"], site_id=s1, business_ref=b1, joined_on="2024-04-01"),
        dict(VALID["site_contracts"], site_id=s1, business_ref="L001", is_ccus_registered="false",
             upper_business_ref=b1, tier="1", joined_on="2024-04-01"),
    ])
    write_csv(inbox, "site_contracts", "site_contracts_20240401.csv", header, data)
    person = lambda ref, day, **kw: dict(VALID["rosters"], **{"site_id": s1, "work_date": day,  # noqa: E731
                                                             "business_ref": b1, "person_ref": ref, **kw})
    header, data = _rows("rosters", [
        person(w1, "2024-04-01"),
        person("P001", "2024-04-01", business_ref="L001", is_ccus_registered="false", insurance_check="document",
               health_insurance="not_enrolled"),
    ])
    write_csv(inbox, "rosters", "rosters_20240401.csv", header, data)
    header, data = _rows("rosters", [person(w1, "2024-04-30")])
    write_csv(inbox, "rosters", "rosters_20240430.csv", header, data)
    att = lambda rid, w, day: dict(VALID["attendance"], record_id=rid, worker_id=w, site_id=s1,  # noqa: E731
                                   employer_business_id=b1, work_date=day, entered_at=f"{day}T08:00:00",
                                   exited_at=f"{day}T17:00:00", received_at=f"{day}T20:00:00")
    for rid, w, day in (("A1", w1, "2024-04-01"), ("A2", w2, "2024-04-02"), ("A3", w1, "2024-04-30")):
        header, data = _rows("attendance", [att(rid, w, day)])
        write_csv(inbox, "attendance", f"attendance_{day.replace('-', '')}.csv", header, data)
    header, data = _rows("kentaikyo", [dict(VALID["kentaikyo"], year_month="2024-04", site_id=s1, business_id=b1,
                                            worker_id=w1, days_reported="1", amount_yen="320")])
    write_csv(inbox, "kentaikyo", "kentaikyo_202404.csv", header, data)


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory, dbt_manifest):
    root = tmp_path_factory.mktemp("compliance_pipeline")
    _write_inbox(root / "inbox")
    out = subprocess.run([str(BIN / "ccus"), "run", "--inbox", str(root / "inbox"), "--lakehouse", str(root / "lh")],
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    return root / "lh"


def _gold(lh: Path, name: str) -> list[dict]:
    return pq.read_table(lh / "gold" / f"{name}.parquet").to_pylist()


def test_ccus_run_publishes_the_six_compliance_marts(pipeline):
    for name, wanted in SIX_MARTS.items():
        path = pipeline / "gold" / f"{name}.parquet"
        assert path.is_file(), name
        assert set(wanted) <= set(pq.read_schema(path).names), name
    s1 = "00000000001001"
    # April 2024, site 1001 (mandatory): construction system B11 + L001 (unregistered) -> 1/2;
    # roster persons w101 and P001 (no CCUS id) -> 1/2; person-days 3, touched 2 (w101 on 04-01
    # and 04-30); w102's touch on 04-02 has no roster row.
    (measurement,) = _gold(pipeline, "model_project_measurements")
    assert (measurement["site_id"], measurement["measured_on"]) == (s1, D(2024, 4, 30))
    assert (measurement["business_registration_rate"], measurement["worker_registration_rate"]) == (0.5, 0.5)
    assert measurement["card_touch_rate"] == pytest.approx(2 / 3)
    assert measurement["unrostered_work_history_days"] == 1
    (score,) = _gold(pipeline, "model_project_scores")
    assert score["points"] == -1          # mandatory, averages below 70 % / 60 %
    (kentaikyo,) = _gold(pipeline, "kentaikyo_site_monthly")
    # w101 (member number) 2 days due = 640 yen, 1 reported (320); w102 has no member number
    assert (kentaikyo["month"], kentaikyo["days_due"], kentaikyo["amount_due_yen"], kentaikyo["days_reported"],
            kentaikyo["coverage"], kentaikyo["shortfall_yen"], kentaikyo["is_mixed_method"]) == \
        (D(2024, 4, 1), 2, 640, 1, 0.5, 320, False)
    (insurance,) = _gold(pipeline, "insurance_site_monthly")
    assert (insurance["person_days"], insurance["checked_ccus"], insurance["checked_document"],
            insurance["not_checked"], insurance["admitted_uninsured_person_days"]) == (3, 2, 1, 0, 1)
    (closure,) = _gold(pipeline, "site_closure")
    # 30 days, open 04-01, 04-02, 04-30 -> 27 closed
    assert (closure["counted_days"], closure["closed_days"], closure["meets_4w8c_whole_period"]) == (30, 27, True)
    (worktime,) = _gold(pipeline, "worktime_violations_monthly")
    assert (worktime["month"], worktime["prefecture_code"], worktime["occupation_code"], worktime["workers"],
            worktime["workers_over_100h"], worktime["overtime_hours"]) == (D(2024, 4, 1), "13", "10-01", 2, 0, 0.0)
