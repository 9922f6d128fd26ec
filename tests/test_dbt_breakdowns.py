"""The adoption breakdowns (adoption_by_business_size, adoption_by_tier, adoption_by_association)
and the withdrawal rule of metrics.md §1, built by dbt from a hand-made bronze lakehouse with the
real seeds (business_size_bands: 20 / 300 employees, capital 300,000,000 yen).

The marts' formulas are unit-tested in their YAML (every band edge); this module checks the
whole path from bronze rows, and that every size band and every tier adds up to
adoption_national.

The scenario (January-April 2024), every business registered 01-05, one worker each registered
01-10 (worker key = "w" + the business's name):

  business  employees  capital        associations  size     tier (site S1)
  SOLE      1 (一人親方) -             -             sole_proprietor  -
  E20       20         -              A1            small    1, joined 2024-01-31 (a month end)
  E21       21         -              A1            medium   1, joined 2024-02-01 (the day after)
  E300      300        1,000,000,000  A2            medium   0 (the prime), from 01-05
  E301      301        1,000,000,000  A2            large    -
  CAP       5,000      300,000,000    -             medium   -
  CAP1      5,000      300,000,001    -             large    -
  WD        100        -              A1            medium   2, joined 01-10, left 2024-01-31
  GONE      10         -              -             small    -

  WD reports is_withdrawn = true on 02-10, then a row without it (NULL) on 03-15, then an
  explicit false on 04-02: out in February and March (the NULL does not reinstate it), back in
  April. GONE reports true on 02-20, then NULL on 03-25: out from February to the end.
  wORPHAN works for a business not in the registry (size unknown, tier none, no association).
  Attendance: wE20 on 03-20 (active in March), a key seen only in the attendance on 03-21
  (active in March: size unknown, tier none), wE21 on 04-03 (active in April; and the month
  spine reaches April).
"""
from __future__ import annotations

import datetime as dt

import duckdb
import pytest

try:
    from bronze_factory import BronzeLake
except ModuleNotFoundError:  # tests/ imported as a package
    from tests.bronze_factory import BronzeLake
try:
    from dbt_runner import dbt_build as build
except ModuleNotFoundError:  # tests/ imported as a package
    from tests.dbt_runner import dbt_build as build

D = dt.date
JAN, FEB, MAR, APR = D(2024, 1, 1), D(2024, 2, 1), D(2024, 3, 1), D(2024, 4, 1)

# name -> (business_id, sole, employees, capital, associations)
BUSINESSES = {
    "SOLE": ("00000000000001", True, 1, None, []),
    "E20": ("00000000000002", False, 20, None, ["A1"]),
    "E21": ("00000000000003", False, 21, None, ["A1"]),
    "E300": ("00000000000004", False, 300, 1_000_000_000, ["A2"]),
    "E301": ("00000000000005", False, 301, 1_000_000_000, ["A2"]),
    "CAP": ("00000000000006", False, 5_000, 300_000_000, []),
    "CAP1": ("00000000000007", False, 5_000, 300_000_001, []),
    "WD": ("00000000000008", False, 100, None, ["A1"]),
    "GONE": ("00000000000009", False, 10, None, []),
}
MISSING = "00000000000099"     # an employer the business registry does not hold
S1 = "10000000000001"


def business(name: str, updated_at: str, withdrawn: bool | None = None) -> dict:
    business_id, sole, employees, capital, associations = BUSINESSES[name]
    return {
        "business_id": business_id, "business_name": None if sole else f"株式会社{name}",
        "prefecture_code": "13", "is_sole_proprietor": sole, "capital_yen": capital,
        "employee_count": employees, "registered_on": "2024-01-05", "association_codes": associations,
        "health_insurance": "enrolled", "pension_insurance": "enrolled",
        "employment_insurance": "exempt" if sole else "enrolled", "kentaikyo_contractor_no": None,
        "updated_at": updated_at, "is_withdrawn": withdrawn,
    }


def worker(key: str, employer: str) -> dict:
    return {
        "worker_key": key, "birth_year": 1985, "employer_business_id": employer,
        "occupation_code": "06-01", "registration_type": "detailed", "registered_on": "2024-01-10",
        "level": 1, "level_judged_on": None, "qualifications": [], "experience_start_on": "2010-04-01",
        "health_insurance": "enrolled", "pension_insurance": "enrolled",
        "employment_insurance": "enrolled", "insurance_verified_on": None,
        "has_kentaikyo_member_no": False, "updated_at": "2024-01-10T09:00:00",
    }


def contract(name: str, tier: int, joined_on: str, left_on: str | None = None) -> dict:
    return {"site_id": S1, "business_ref": BUSINESSES[name][0], "is_ccus_registered": True,
            "upper_business_ref": None if tier == 0 else BUSINESSES["E300"][0], "tier": tier,
            "joined_on": joined_on, "left_on": left_on, "stamp_exception": False}


def touch(record_id: str, worker_key: str, work_date: str, employer: str) -> dict:
    return {"record_id": record_id, "site_id": S1, "worker_key": worker_key,
            "employer_business_id": employer, "work_date": work_date,
            "entered_at": f"{work_date}T08:00:00", "exited_at": f"{work_date}T17:00:00",
            "role": "general", "occupation_code": "06-01", "input_method": "card_reader",
            "device_id": None, "received_at": f"{work_date}T18:00:00"}


def build_scenario(lake: BronzeLake) -> None:
    lake.add_file("businesses", "2024-01-05", [business(n, "2024-01-05T10:00:00") for n in BUSINESSES])
    lake.add_file("businesses", "2024-02-10", [business("WD", "2024-02-10T10:00:00", withdrawn=True)])
    lake.add_file("businesses", "2024-02-20", [business("GONE", "2024-02-20T10:00:00", withdrawn=True)])
    lake.add_file("businesses", "2024-03-15", [business("WD", "2024-03-15T10:00:00")])
    lake.add_file("businesses", "2024-03-25", [business("GONE", "2024-03-25T10:00:00")])
    lake.add_file("businesses", "2024-04-02", [business("WD", "2024-04-02T10:00:00", withdrawn=False)])
    lake.add_file("workers", "2024-01-10", [worker(f"w{n}", BUSINESSES[n][0]) for n in BUSINESSES]
                  + [worker("wORPHAN", MISSING)])
    lake.add_file("sites", "2024-01-05", [{
        "site_id": S1, "site_name": "現場1", "prefecture_code": "13", "orderer_type": "mlit",
        "is_public_works": True, "model_project_type": "none", "contract_amount_yen": 100_000_000,
        "start_on": "2024-01-05", "end_on": "2024-12-20", "prime_business_id": BUSINESSES["E300"][0],
        "kentaikyo_method": "electronic", "card_reader_installed": True, "two_days_off_type": "none",
        "registered_on": "2024-01-05", "updated_at": "2024-01-05T09:00:00"}])
    lake.add_file("site_contracts", "2024-01-05", [
        contract("E300", 0, "2024-01-05"),
        contract("E20", 1, "2024-01-31"),
        contract("E21", 1, "2024-02-01"),
        contract("WD", 2, "2024-01-10", "2024-01-31"),
    ])
    lake.add_file("attendance", "2024-03-21", [
        touch("r1", "wE20", "2024-03-20", BUSINESSES["E20"][0]),
        touch("r2", "wVISITOR", "2024-03-21", MISSING),
    ])
    lake.add_file("attendance", "2024-04-03", [touch("r3", "wE21", "2024-04-03", BUSINESSES["E21"][0])])


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("dbt_breakdowns")
    lake = BronzeLake(tmp_path / "lakehouse")
    build_scenario(lake)
    lake.write()
    # the breakdowns, adoption_national, stg_businesses and everything upstream, with their data
    # tests (cautious: none that needs a model outside the selection); unit tests run once in
    # tests/test_dbt_project.py
    result, path = build(tmp_path, str(lake.root), "--select", "+adoption_by_business_size",
                         "+adoption_by_tier", "+adoption_by_association", "+adoption_national",
                         "--indirect-selection", "cautious", timeout=300)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    assert "ERROR=0" in result.stdout, result.stdout[-3000:]
    # warnings on purpose: wORPHAN's employer is not in the registry, wVISITOR not in the workers
    # registry, and it touched for that unknown employer
    warnings = sorted(line.split("Warning in test ")[1].split(" ")[0]
                      for line in result.stdout.splitlines() if "Warning in test" in line)
    assert [w.rsplit("__ref_", 1)[0] for w in warnings] == [
        "relationships_stg_attendance_employer_business_id__business_id",
        "relationships_stg_attendance_worker_key__worker_key",
        "relationships_stg_workers_employer_business_id__business_id"], warnings
    con = duckdb.connect(str(path), read_only=True)
    yield con
    con.close()


MEASURES = "registered_workers, new_workers, active_workers, registered_businesses"


def cells(con, mart: str, cell: str) -> dict:
    """{(month, cell): (registered_workers, new_workers, active_workers, registered_businesses)}"""
    got = con.execute(f"select month, {cell}, {MEASURES} from marts.{mart}").fetchall()
    return {(r[0], r[1]): r[2:] for r in got}


def test_business_size_bands_from_the_seed(warehouse):
    got = cells(warehouse, "adoption_by_business_size", "size_band")
    # January: every worker new. sole: SOLE; small: E20 (20 employees), GONE; medium: E21 (21),
    # E300 (300 employees), CAP (capital exactly 300,000,000), WD; large: E301 (301), CAP1 (one
    # yen more); unknown: wORPHAN (employer not in the registry), no registered business
    assert got[(JAN, "sole_proprietor")] == (1, 1, 0, 1)
    assert got[(JAN, "small")] == (2, 2, 0, 2)
    assert got[(JAN, "medium")] == (4, 4, 0, 4)
    assert got[(JAN, "large")] == (2, 2, 0, 2)
    assert got[(JAN, "unknown")] == (1, 1, 0, 0)
    # February and March: WD (medium) and GONE (small) withdrawn, their workers still counted.
    # March: wE20 active (small), and the attendance-only key (unknown)
    assert got[(FEB, "small")] == (2, 0, 0, 1) and got[(FEB, "medium")] == (4, 0, 0, 3)
    assert got[(MAR, "small")] == (2, 0, 1, 1) and got[(MAR, "medium")] == (4, 0, 0, 3)
    assert got[(MAR, "unknown")] == (1, 0, 1, 0)
    # April: WD's explicit false brings it back; wE21 active (medium); GONE stays out
    assert got[(APR, "small")] == (2, 0, 0, 1) and got[(APR, "medium")] == (4, 0, 1, 4)
    assert got[(APR, "unknown")] == (1, 0, 0, 0)


def test_tier_at_the_month_end(warehouse):
    got = cells(warehouse, "adoption_by_tier", "tier")
    # January: E300 '0'; E20 '1' (joined on the month end); WD '2' (left on the month end);
    # E21 (joins the day after) and the five without a contract 'none', and wORPHAN's worker
    assert got[(JAN, "0")] == (1, 1, 0, 1)
    assert got[(JAN, "1")] == (1, 1, 0, 1)
    assert got[(JAN, "2")] == (1, 1, 0, 1)
    assert got[(JAN, "none")] == (7, 7, 0, 6)
    # February: E21 in '1'; WD in 'none' (no contract) and withdrawn, GONE withdrawn
    assert (FEB, "2") not in got
    assert got[(FEB, "1")] == (2, 0, 0, 2)
    assert got[(FEB, "none")] == (7, 0, 0, 4)
    assert got[(MAR, "1")] == (2, 0, 1, 2) and got[(MAR, "none")] == (7, 0, 1, 4)
    assert got[(APR, "1")] == (2, 0, 1, 2) and got[(APR, "none")] == (7, 0, 0, 5)


def test_association_members_at_the_month_end(warehouse):
    got = cells(warehouse, "adoption_by_association", "association_code")
    assert {k for k in got if k[0] == JAN} == {(JAN, "A1"), (JAN, "A2")}   # non-members: no row
    # A1: E20, E21, WD; WD out in February and March
    assert [got[(m, "A1")] for m in (JAN, FEB, MAR, APR)] == [
        (3, 3, 0, 3), (3, 0, 0, 2), (3, 0, 1, 2), (3, 0, 1, 3)]
    assert [got[(m, "A2")] for m in (JAN, FEB, MAR, APR)] == [(2, 2, 0, 2)] + [(2, 0, 0, 2)] * 3


def test_every_band_and_every_tier_add_up_to_the_national_series(warehouse):
    national = warehouse.execute(f"select month, {MEASURES} from marts.adoption_national order by month").fetchall()
    # 9 businesses; WD and GONE out in February and March; WD back in April
    assert [(r[0], r[4]) for r in national] == [(JAN, 9), (FEB, 7), (MAR, 7), (APR, 8)]
    for mart in ("adoption_by_business_size", "adoption_by_tier"):
        summed = warehouse.execute(f"""
            select month, sum(registered_workers), sum(new_workers), sum(active_workers),
                   sum(registered_businesses)
            from marts.{mart} group by month order by month""").fetchall()
        assert summed == national, mart


def test_employers_behind_each_worker_count(warehouse):
    got = warehouse.execute("""
        select month, tier, employers_of_registered_workers, employers_of_new_workers,
               employers_of_active_workers
        from marts.adoption_by_tier where tier = 'none' order by month""").fetchall()
    # 'none' holds 7 workers of 7 employers (MISSING included) in every month; January's are
    # all new; March's active worker is the attendance-only key, which has no employer
    assert got == [(JAN, "none", 7, 7, 0), (FEB, "none", 7, 0, 0), (MAR, "none", 7, 0, 0),
                   (APR, "none", 7, 0, 0)]


def test_the_registry_state_keeps_a_withdrawal_through_a_null(warehouse):
    state = dict(warehouse.execute("select business_id, is_withdrawn from staging.stg_businesses").fetchall())
    assert state[BUSINESSES["GONE"][0]] is True     # true, then a row without the column
    assert state[BUSINESSES["WD"][0]] is False      # true, NULL, then an explicit false
    assert state[BUSINESSES["E20"][0]] is False     # never reported
    history = warehouse.execute("""
        select valid_from, is_withdrawn from staging.stg_business_registry_history
        where business_id = ? order by valid_from""", [BUSINESSES["WD"][0]]).fetchall()
    assert [r[1] for r in history] == [None, True, None, False]   # kept as delivered
