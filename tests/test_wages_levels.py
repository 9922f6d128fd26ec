"""Wage by level and level eligibility (issue 4): seeds against the published reference, and
the wage/level marts built by dbt over a tiny hand-made bronze lakehouse, every figure below
computed by hand.

The scenario (fiscal years 2025 and 2026; Tokyo = 13, Osaka = 27):

  businesses  B1 Tokyo, member of ZENTEKKIN          prime of S1 (tier 0); tier 2 on S2
              B2 Tokyo, member of ZENTEKKIN + ZENKEN tier 1 on S1
              B3 Osaka, no association (NON-MEMBER)  prime of S2 (tier 0)
  wage workers (鉄筋工 10-01 unless said)
    WA  B1, level 2   Apr 2026: 20 days, 500,000 base + 40,000 allowances (+100,000 overtime)
                      May 2026: 16 days, 400,000 + 20,000 + 40,000 bonus (+50,000 overtime)
                      works at S2 twice and at S1 once (as foreman) in April
    WT  B2, level 2   Apr 2026: 18 days, 500,000 + 53,644 (+40,000 overtime): exactly the guideline
    WH  B1, level 2   Mar 2026 (FY2025): 20 days, 700,000; Apr 2026: 20 days, 800,000
    WL  B1, とび工 06-01, level 1 until 2026-05-20, then 2; experience from 2024-01-01
                      Apr 2026: 20 days, 400,000; May 2026: 10 days, 300,000
    WO  B3, level 3   Apr 2026: 20 days, 700,000; foreman at S2 once in April
    WX  not in the registry (B1, Apr 2026)  -> in no mart
    ENF B2, 特殊作業員 01-01, a wage row with 0 days -> no observed income
  eligibility-only workers: E645 / E644 (645 / 644 work days from experience alone),
    E1505 / E1504 (1,505 / 1,504 work days with 645 foreman-or-subforeman days), ENQ (1,505
    days but without 1級鉄筋施工技能士).

Guidelines (unit price x 234 x multiplier):
  Tokyo FY2026 鉄筋工 33,800 (published) L2: 33,800 x 234 x 0.91 = 7,197,372
  Tokyo FY2026 とび工 33,100 (published) L1: 33,100 x 234 x 0.80 = 6,196,320;
                                          L2: 33,100 x 234 x 0.91 = 7,048,314
  Tokyo FY2025 鉄筋工 32,600 (modelled from the FY2026 cell and its +3.7 %) L2:
                                          32,600 x 234 x 0.91 = 6,941,844
  Osaka FY2026 鉄筋工 (modelled) L3: seed price x 234 x 1.00
"""
from __future__ import annotations

import csv
import datetime as dt
import subprocess
import sys
from pathlib import Path

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

REPO = Path(__file__).resolve().parents[1]
PROJECT = REPO / "dbt_project"
SEEDS = PROJECT / "seeds"
WAGE_SEEDS = SEEDS / "wages"
REFERENCE = REPO / "reference"  # the published figures, copied into the repository with their sources
D = dt.date

B1, B2, B3 = "00000000000001", "00000000000002", "00000000000003"
S1, S2 = "10000000000001", "10000000000002"

WAGE_MARTS = {
    "wage_level_compliance", "wage_level_compliance_national", "wage_level_compliance_by_association",
    "wage_level_compliance_by_tier", "wage_level_compliance_groups", "level_eligibility",
    "level_eligibility_by_business", "level_up_candidates_by_business", "level_up_candidates_by_association",
    "association_members", "association_member_sites", "specialty_contractor_levels",
    "specialty_contractor_qualifications", "wage_level_compliance_national_levels",
}


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def osaka_price() -> int:
    row = next(r for r in read_csv(WAGE_SEEDS / "design_labor_unit_prices.csv")
               if (r["fiscal_year"], r["prefecture_code"], r["occupation_code"]) == ("2026", "27", "10-01"))
    assert row["certainty"] == "modelled"
    return int(row["yen_per_day"])


# ------------------------------------------------------------------ the scenario

def business(business_id, pref, associations):
    return {
        "business_id": business_id, "business_name": f"株式会社{business_id[-1]}", "prefecture_code": pref,
        "is_sole_proprietor": False, "capital_yen": 10_000_000, "employee_count": 20,
        "registered_on": "2023-01-10", "association_codes": associations,
        "health_insurance": "enrolled", "pension_insurance": "enrolled", "employment_insurance": "enrolled",
        "kentaikyo_contractor_no": None, "updated_at": "2023-01-10T10:00:00", "is_withdrawn": False,
    }


def worker(key, employer, occupation, level, registered_on, experience_start_on, qualifications,
           updated_at=None):
    return {
        "worker_key": key, "birth_year": 1980, "employer_business_id": employer,
        "occupation_code": occupation, "registration_type": "detailed", "registered_on": registered_on,
        "level": level, "level_judged_on": None, "qualifications": qualifications,
        "experience_start_on": experience_start_on, "health_insurance": "enrolled",
        "pension_insurance": "enrolled", "employment_insurance": "enrolled",
        "insurance_verified_on": None, "has_kentaikyo_member_no": True,
        "updated_at": updated_at or f"{registered_on}T09:00:00",
    }


def site(site_id, pref, prime):
    return {
        "site_id": site_id, "site_name": f"現場{site_id[-1]}", "prefecture_code": pref, "orderer_type": "mlit",
        "is_public_works": True, "model_project_type": "none", "contract_amount_yen": 100_000_000,
        "start_on": "2024-01-08", "end_on": "2027-03-31", "prime_business_id": prime,
        "kentaikyo_method": "electronic", "card_reader_installed": True, "two_days_off_type": "none",
        "registered_on": "2024-01-08", "updated_at": "2024-01-08T09:00:00",
    }


def contract(site_id, ref, tier, upper):
    return {"site_id": site_id, "business_ref": ref, "is_ccus_registered": not ref.startswith("L"),
            "upper_business_ref": upper, "tier": tier, "joined_on": "2024-01-08", "left_on": None,
            "stamp_exception": False}


def touch(record_id, worker_key, site_id, work_date, employer, role="general", occupation="10-01"):
    return {
        "record_id": record_id, "site_id": site_id, "worker_key": worker_key,
        "employer_business_id": employer, "work_date": work_date,
        "entered_at": f"{work_date}T08:00:00", "exited_at": f"{work_date}T17:00:00",
        "role": role, "occupation_code": occupation, "input_method": "card_reader",
        "device_id": None, "received_at": f"{work_date}T20:00:00",
    }


def wage(month, business_id, worker_key, days, base, allowances=0, overtime=0, bonus=0):
    return {"year_month": month, "business_id": business_id, "worker_key": worker_key,
            "days_worked": days, "base_pay_yen": base, "allowances_yen": allowances,
            "overtime_pay_yen": overtime, "bonus_yen": bonus}


def build_scenario(lake: BronzeLake) -> None:
    lake.add_file("businesses", "2023-01-10", [
        business(B1, "13", ["ZENTEKKIN"]),
        business(B2, "13", ["ZENTEKKIN", "ZENKEN"]),
        business(B3, "27", []),
    ])
    tama, tekkin = "TAMAKAKE", "TEKKIN_GINOSHI_1"
    lake.add_file("workers", "2024-06-01", [
        # registered 2024-01-01; experience 2015-04-01 -> 3,197 days -> floor(215 x 3,197 / 365) = 1,883
        worker("WA", B1, "10-01", 2, "2024-01-01", "2015-04-01", [tama]),
        # 2020-04-01 -> 2024-01-01 = 1,370 days -> 806
        worker("WT", B2, "10-01", 2, "2024-01-01", "2020-04-01", [tama]),
        # 2019-04-01 -> 2024-01-01 = 1,736 days -> 1,022; no TAMAKAKE -> level 1 only
        worker("WH", B1, "10-01", 2, "2024-01-01", "2019-04-01", []),
        # とび: 2024-01-01 -> 2024-06-01 = 152 days -> 89; level 1 in this first row
        worker("WL", B1, "06-01", 1, "2024-06-01", "2024-01-01", [tama, "SHOKUCHO_ANZEN"]),
        # 2010-01-01 -> 2023-01-01 = 4,748 days -> 2,796
        worker("WO", B3, "10-01", 3, "2023-01-01", "2010-01-01", [tama, tekkin]),
        worker("ENF", B2, "01-01", 1, "2024-01-01", "2020-01-01", [tama]),
        # 2021-01-01 -> 2024-01-01 = 1,095 days -> 645 exactly; one day later -> 644
        worker("E645", B1, "10-01", 1, "2024-01-01", "2021-01-01", [tama]),
        worker("E644", B2, "10-01", 1, "2024-01-01", "2021-01-02", [tama]),
        # 2020-01-02 -> 2024-01-01 = 1,460 days -> 860 (+ 645 work-history days = 1,505);
        # 2020-01-03 -> 1,459 days -> floor(859.4) = 859 (+ 645 = 1,504)
        worker("E1505", B1, "10-01", 2, "2024-01-01", "2020-01-02", [tama, tekkin]),
        worker("E1504", B2, "10-01", 2, "2024-01-01", "2020-01-03", [tama, tekkin]),
        worker("ENQ", B2, "10-01", 2, "2024-01-01", "2020-01-02", [tama]),
    ])
    # WL is judged level 2 on 2026-05-20: the registry row of that day applies from May 2026
    lake.add_file("workers", "2026-05-20", [
        worker("WL", B1, "06-01", 2, "2024-06-01", "2024-01-01", [tama, "SHOKUCHO_ANZEN"],
               updated_at="2026-05-20T10:00:00"),
    ])
    lake.add_file("sites", "2024-01-08", [site(S1, "13", B1), site(S2, "27", B3)])
    lake.add_file("site_contracts", "2024-01-08", [
        contract(S1, B1, 0, None), contract(S1, B2, 1, B1),
        contract(S2, B3, 0, None), contract(S2, "L0001", 1, B3), contract(S2, B1, 2, "L0001"),
    ])

    touches = [
        touch("a1", "WA", S2, "2026-04-06", B1), touch("a2", "WA", S2, "2026-04-07", B1),
        touch("a3", "WA", S1, "2026-04-08", B1, role="foreman"),
        touch("o1", "WO", S2, "2026-04-06", B3, role="foreman"),
    ]
    # 645 work-history days as foreman (400) or subforeman (245) for E1505, E1504 and ENQ
    first = D(2024, 4, 1)
    for key, employer in (("E1505", B1), ("E1504", B2), ("ENQ", B2)):
        for i in range(645):
            day = (first + dt.timedelta(days=i)).isoformat()
            touches.append(touch(f"{key}-{i}", key, S1, day, employer,
                                 role="foreman" if i < 400 else "subforeman"))
    lake.add_file("attendance", "2026-04-30", touches)

    lake.add_file("wages", "2026-03-01", [wage("2026-03-01", B1, "WH", 20, 700_000)])
    lake.add_file("wages", "2026-04-01", [
        wage("2026-04-01", B1, "WA", 20, 500_000, 40_000, overtime=100_000),
        wage("2026-04-01", B2, "WT", 18, 500_000, 53_644, overtime=40_000),
        wage("2026-04-01", B1, "WH", 20, 800_000),
        wage("2026-04-01", B1, "WL", 20, 400_000),
        wage("2026-04-01", B3, "WO", 20, 700_000),
        wage("2026-04-01", B1, "WX", 20, 100_000),
        wage("2026-04-01", B2, "ENF", 0, 0),
    ])
    lake.add_file("wages", "2026-05-01", [
        wage("2026-05-01", B1, "WA", 16, 400_000, 20_000, overtime=50_000, bonus=40_000),
        wage("2026-05-01", B1, "WL", 10, 300_000),
    ])


def dbt_build(tmp_path: Path, lakehouse_root: str) -> tuple[subprocess.CompletedProcess, Path]:
    # The wage and level models, everything upstream of them and their data tests
    # (cautious: no test that needs a model outside the selection).
    return build(tmp_path, lakehouse_root, "--select", "+path:models/marts/wages", "path:seeds/wages",
                 "--indirect-selection", "cautious", timeout=300)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("wages_levels")
    lake = BronzeLake(tmp_path / "lakehouse")
    build_scenario(lake)
    lake.write()
    result, path = dbt_build(tmp_path, str(lake.root))
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    assert "ERROR=0" in result.stdout, result.stdout[-3000:]
    # one warning, on purpose: WX's wage row names a worker not in the registry
    warnings = [line for line in result.stdout.splitlines() if "Warning in test" in line]
    assert len(warnings) == 1 and "relationships_stg_wages_worker_key" in warnings[0], warnings
    con = duckdb.connect(str(path), read_only=True)
    yield con
    con.close()


def rows(con, sql):
    return con.execute(sql).fetchall()


# ------------------------------------------------------------------ marts

def test_wage_level_compliance(warehouse):
    got = rows(warehouse, """
        select fiscal_year, occupation_code, level, prefecture_code, guideline_annual_yen,
               median_observed_annual_yen, workers_surveyed, workers_below_guideline,
               workers_with_guideline, share_below_guideline, businesses_surveyed,
               unit_price_yen_per_day, unit_price_certainty, published_2023_field_ja,
               published_2023_middle_annual_yen
        from marts.wage_level_compliance order by all""")
    osaka = osaka_price()
    assert got == [
        # WH, March 2026 = FY2025: 700,000 x 234 / 20 = 8,190,000 >= 6,941,844
        (2025, "10-01", 2, "13", 6_941_844, 8_190_000, 1, 0, 1, 0.0, 1, 32_600, "modelled", "全分野", 5_690_000),
        # WL in April at level 1: 400,000 x 234 / 20 = 4,680,000 < 6,196,320
        (2026, "06-01", 1, "13", 6_196_320, 4_680_000, 1, 1, 1, 1.0, 1, 33_100, "published", "全分野", 5_010_000),
        # WL in May at level 2 (judged 05-20, in force at the month end): 300,000 x 234 / 10
        # = 7,020,000 < 7,048,314
        (2026, "06-01", 2, "13", 7_048_314, 7_020_000, 1, 1, 1, 1.0, 1, 33_100, "published", "全分野", 5_690_000),
        # WA: (540,000 + 460,000) x 234 / (20 + 16) = 6,500,000 (overtime excluded) -> below;
        # WT: 553,644 x 234 / 18 = 7,197,372 = the guideline -> NOT below;
        # WH: 800,000 x 234 / 20 = 9,360,000. Median 7,197,372; 1 of 3 below; employers B1, B2.
        # WX (not in the registry) and ENF (0 days) are in no cell.
        (2026, "10-01", 2, "13", 7_197_372, 7_197_372, 3, 1, 3, 1 / 3, 2, 33_800, "published", "全分野", 5_690_000),
        # WO at B3 (Osaka): 700,000 x 234 / 20 = 8,190,000; guideline = Osaka's modelled price x 234
        (2026, "10-01", 3, "27", osaka * 234, 8_190_000, 1, 0, 1, 0.0, 1, osaka, "modelled", "鉄筋", 6_360_000),
    ]


def test_national_association_tier_and_groups(warehouse):
    national = rows(warehouse, """
        select fiscal_year, occupation_code, level, mean_guideline_annual_yen, median_observed_annual_yen,
               workers_surveyed, workers_below_guideline
        from marts.wage_level_compliance_national where fiscal_year = 2026 order by all""")
    assert national == [
        (2026, "06-01", 1, 6_196_320, 4_680_000, 1, 1),
        (2026, "06-01", 2, 7_048_314, 7_020_000, 1, 1),
        (2026, "10-01", 2, 7_197_372, 7_197_372, 3, 1),
        (2026, "10-01", 3, osaka_price() * 234, 8_190_000, 1, 0),
    ]

    levels = rows(warehouse, """
        select fiscal_year, level, workers_surveyed, median_observed_annual_yen, workers_below_guideline,
               mean_guideline_annual_yen, published_2023_middle_annual_yen, last_surveyed_month
        from marts.wage_level_compliance_national_levels where fiscal_year = 2026 order by all""")
    assert levels == [
        # WL in April, alone at level 1 (all fields L1 middle 2023: 5,010,000)
        (2026, 1, 1, 4_680_000, 1, 6_196_320, 5_010_000, D(2026, 4, 1)),
        # WA 6,500,000 (below), WT 7,197,372 (tie), WH 9,360,000, WL's May 7,020,000 (below):
        # median (7,020,000 + 7,197,372) / 2 = 7,108,686; mean guideline
        # (3 x 7,197,372 + 7,048,314) / 4 = 7,160,107.5 -> 7,160,108 (half away from zero)
        (2026, 2, 4, 7_108_686, 2, 7_160_108, 5_690_000, D(2026, 5, 1)),
        (2026, 3, 1, 8_190_000, 0, osaka_price() * 234, 6_280_000, D(2026, 4, 1)),
    ]

    association = rows(warehouse, """
        select association_code, fiscal_year, occupation_code, level, workers_surveyed,
               businesses_surveyed, workers_below_guideline, median_observed_annual_yen
        from marts.wage_level_compliance_by_association order by all""")
    assert association == [
        # ZENKEN = B2 only: WT, at the guideline
        ("ZENKEN", 2026, "10-01", 2, 1, 1, 0, 7_197_372),
        # ZENTEKKIN = B1 + B2; WO (B3, a non-member) is nowhere
        ("ZENTEKKIN", 2025, "10-01", 2, 1, 1, 0, 8_190_000),
        ("ZENTEKKIN", 2026, "06-01", 1, 1, 1, 1, 4_680_000),
        ("ZENTEKKIN", 2026, "06-01", 2, 1, 1, 1, 7_020_000),
        ("ZENTEKKIN", 2026, "10-01", 2, 3, 2, 1, 7_197_372),
    ]

    tier = rows(warehouse, """
        select fiscal_year, tier, occupation_code, level, workers_surveyed, median_observed_annual_yen,
               workers_below_guideline, share_below_guideline
        from marts.wage_level_compliance_by_tier order by all""")
    assert tier == [
        # WH (B1: no work history -> B1's smallest tier, 0 as prime of S1)
        (2025, 0, "10-01", 2, 1, 8_190_000, 0, 0.0),
        (2026, 0, "06-01", 1, 1, 4_680_000, 1, 1.0),
        (2026, 0, "06-01", 2, 1, 7_020_000, 1, 1.0),
        # WA's May (no work history -> tier 0): 460,000 x 234 / 16 = 6,727,500 < 7,197,372;
        # WH's April 9,360,000. Median (6,727,500 + 9,360,000) / 2 = 8,043,750
        (2026, 0, "10-01", 2, 2, 8_043_750, 1, 0.5),
        # WO: B3 is the prime of S2 where WO worked
        (2026, 0, "10-01", 3, 1, 8_190_000, 0, 0.0),
        # WT: B2 is tier 1 on S1
        (2026, 1, "10-01", 2, 1, 7_197_372, 0, 0.0),
        # WA's April: 2 days at S2 (B1 tier 2) against 1 at S1 (tier 0) -> tier 2:
        # 540,000 x 234 / 20 = 6,318,000
        (2026, 2, "10-01", 2, 1, 6_318_000, 1, 1.0),
    ]

    groups = rows(warehouse, """
        select fiscal_year, group_code, occupation_code, level, workers_surveyed, median_observed_annual_yen,
               workers_below_guideline, mean_guideline_annual_yen
        from marts.wage_level_compliance_groups order by all""")
    assert groups == [
        # WL in May: level 2, experience from 2024-01-01 (+ 36 months = 2027-01-01 > 2026-05-01)
        (2026, "l2_first_3_years", "06-01", 2, 1, 7_020_000, 1, 7_048_314),
        # WO in April: level 3 with a foreman day. WA was foreman too, but at level 2.
        (2026, "l34_foremen", "10-01", 3, 1, 8_190_000, 0, osaka_price() * 234),
    ]


def test_level_eligibility(warehouse):
    got = rows(warehouse, """
        select occupation_code, current_level, eligible_level, workers, is_level_up, businesses,
               has_level_criteria
        from marts.level_eligibility order by all""")
    assert got == [
        # ENF: 特殊作業員 has no 能力評価 field -> level 1
        ("01-01", 1, 1, 1, False, 1, False),
        # WL: とび, 89 work days -> level 1 (below the registry's level 2)
        ("06-01", 2, 1, 1, False, 1, True),
        # E644: 644 work days, one short of 645
        ("10-01", 1, 1, 1, False, 1, True),
        # E645: exactly 645 with TAMAKAKE -> level 2
        ("10-01", 1, 2, 1, True, 1, True),
        # WH: 1,022 days but no TAMAKAKE
        ("10-01", 2, 1, 1, False, 1, True),
        # WA (1,883 + 3 = 1,886 days, 1 foreman day), WT (806), E1504 (1,504 days: one short of
        # level 3), ENQ (1,505 days and 645 foreman days but no 1級鉄筋施工技能士)
        ("10-01", 2, 2, 4, False, 2, True),
        # E1505: 860 + 645 = 1,505 days, 400 foreman + 245 subforeman days = 645 (level 3 counts
        # both roles), TAMAKAKE + TEKKIN_GINOSHI_1; level 4 needs 2,150 days
        ("10-01", 2, 3, 1, True, 1, True),
        # WO: 2,796 + 1 days, but 1 foreman day (level 3 needs 645) -> level 2
        ("10-01", 3, 2, 1, False, 1, True),
    ]
    by_business = rows(warehouse, """
        select business_id, workers, level_up_candidates, candidates_to_level_2, candidates_to_level_3,
               candidates_to_level_4
        from marts.level_up_candidates_by_business order by business_id""")
    assert by_business == [
        (B1, 5, 2, 1, 1, 0),     # WA, WH, WL, E645 (-> 2), E1505 (-> 3)
        (B2, 5, 0, 0, 0, 0),     # WT, ENF, E644, E1504, ENQ
        (B3, 1, 0, 0, 0, 0),     # WO
    ]
    by_association = rows(warehouse, """
        select association_code, occupation_code, workers, level_up_candidates, businesses,
               businesses_with_candidates
        from marts.level_up_candidates_by_association order by all""")
    assert by_association == [
        ("ZENKEN", "01-01", 1, 0, 1, 0),
        ("ZENKEN", "10-01", 4, 0, 1, 0),
        ("ZENTEKKIN", "01-01", 1, 0, 1, 0),
        ("ZENTEKKIN", "06-01", 1, 0, 1, 0),
        ("ZENTEKKIN", "10-01", 8, 2, 2, 1),
    ]
    detail = rows(warehouse, """
        select sum(workers) from marts.level_eligibility_by_business where business_id = '%s'""" % B1)
    assert detail == [(5,)]


def test_membership_and_visibility(warehouse):
    assert rows(warehouse, "select association_code, business_id from marts.association_members order by all") == [
        ("ZENKEN", B2), ("ZENTEKKIN", B1), ("ZENTEKKIN", B2)]
    # S1's prime B1 is a ZENTEKKIN member; S2's prime B3 is in no association
    assert rows(warehouse, "select association_code, site_id, prime_business_id "
                           "from marts.association_member_sites") == [("ZENTEKKIN", S1, B1)]
    levels = rows(warehouse, """
        select business_id, level, workers, workers_with_qualifications, acts_as_prime
        from marts.specialty_contractor_levels where business_id in ('%s', '%s') order by all""" % (B1, B2))
    assert levels == [
        (B1, 1, 1, 1, True),      # E645
        (B1, 2, 4, 3, True),      # WA, WH (none held), WL, E1505
        (B2, 1, 2, 2, False),     # ENF, E644
        (B2, 2, 3, 3, False),     # WT, E1504, ENQ
    ]
    quals = rows(warehouse, """
        select qualification_code, workers from marts.specialty_contractor_qualifications
        where business_id = '%s' and level = 2 order by all""" % B1)
    assert quals == [("SHOKUCHO_ANZEN", 1), ("TAMAKAKE", 3), ("TEKKIN_GINOSHI_1", 1)]


def test_marts_hold_no_worker_ids_and_have_contract_types(warehouse):
    marts = {r[0] for r in rows(warehouse, "select table_name from information_schema.tables "
                                           "where table_schema = 'marts'")}
    assert WAGE_MARTS <= marts
    columns = rows(warehouse, "select table_name, column_name, data_type from information_schema.columns "
                              "where table_schema = 'marts'")
    assert not [c for c in columns if c[0] in WAGE_MARTS and c[1] in ("worker_key", "person_key", "worker_id")]
    types = {f"{t}.{c}": d for t, c, d in columns}
    assert types["wage_level_compliance.guideline_annual_yen"] == "BIGINT"
    assert types["wage_level_compliance.median_observed_annual_yen"] == "BIGINT"
    assert types["wage_level_compliance.workers_surveyed"] == "BIGINT"
    assert types["wage_level_compliance.share_below_guideline"] == "DOUBLE"
    assert types["level_eligibility.workers"] == "BIGINT"
    # the contract's columns (outputs.md)
    for mart, needed in {
        "wage_level_compliance": ["fiscal_year", "occupation_code", "level", "prefecture_code",
                                  "guideline_annual_yen", "median_observed_annual_yen", "workers_surveyed",
                                  "share_below_guideline"],
        "level_eligibility": ["occupation_code", "current_level", "eligible_level", "workers"],
    }.items():
        have = {c for t, c, _ in columns if t == mart}
        assert set(needed) <= have, (mart, set(needed) - have)


# ------------------------------------------------------------------ seeds against the reference

def needs_reference(test):
    """Published cells are compared with reference/ (in the repository):
    without it the comparison fails (a skipped comparison would prove nothing)."""
    import functools

    @functools.wraps(test)
    def run(*args, **kwargs):
        assert REFERENCE.is_dir(), f"no reference folder at {REFERENCE}: reference/ belongs to the repository"
        return test(*args, **kwargs)

    return run


@needs_reference
def test_published_unit_prices_equal_the_reference():
    seed = {(r["fiscal_year"], r["prefecture_code"], r["occupation_code"]): r
            for r in read_csv(WAGE_SEEDS / "design_labor_unit_prices.csv")}
    prefectures = {r["name_ja"]: r["prefecture_code"] for r in read_csv(SEEDS / "prefectures.csv")}
    occupations = {r["name_ja"]: r["occupation_code"] for r in read_csv(SEEDS / "occupations.csv")}
    reference = read_csv(REFERENCE / "design_labor_unit_price_tokyo_2026.csv")
    for ref in reference:
        row = seed[(ref["fiscal_year"], prefectures[ref["prefecture_name"]], occupations[ref["occupation_ja"]])]
        assert (row["yen_per_day"], row["certainty"], row["source_url"]) == \
            (ref["yen_per_day"], "published", ref["source_url"]), ref
    assert seed[("2026", "13", "10-01")]["yen_per_day"] == "33800"          # Tokyo FY2026 鉄筋工
    published = [r for r in seed.values() if r["certainty"] == "published"]
    assert len(published) == len(reference) == 15
    # FY2019-FY2026 x 47 prefectures x every occupation, nothing else
    assert len(seed) == 8 * 47 * len(occupations)
    assert {k[0] for k in seed} == {str(y) for y in range(2019, 2027)}
    for row in seed.values():
        assert row["certainty"] in ("published", "modelled")
        if row["certainty"] == "modelled":
            assert row["method"], row
            if row["national_average_yen"]:   # rule 3: recompute the cell from its own inputs
                from decimal import ROUND_HALF_UP, Decimal
                value = Decimal(row["national_average_yen"]) * Decimal(row["region_factor"]) \
                    * Decimal(row["occupation_factor"])
                assert int((value / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)) * 100 == \
                    int(row["yen_per_day"]), row


@needs_reference
def test_published_national_and_historic_prices_equal_the_reference():
    seed = {r["fiscal_year"]: r for r in read_csv(WAGE_SEEDS / "design_labor_unit_price_national.csv")}
    for ref in read_csv(REFERENCE / "design_labor_unit_price_national.csv"):
        row = seed[ref["fiscal_year"]]
        assert row["certainty"] == "published"
        for column in ("effective_from", "weighted_average_yen_per_day", "simple_average_growth_pct", "source_url"):
            assert row[column] == ref[column], (ref["fiscal_year"], column)
    assert {y for y, r in seed.items() if r["certainty"] == "modelled"} == {"2018", "2022"}
    assert seed["2022"]["weighted_average_yen_per_day"] == "21128"    # 22,227 / 1.052
    historic = read_csv(WAGE_SEEDS / "design_labor_unit_price_occupations_2011_2015.csv")
    reference = read_csv(REFERENCE / "design_labor_unit_price_main_occupations_2011_2015.csv")
    assert [(r["occupation_ja"], r["fiscal_year"], r["national_simple_average_yen_per_day"], r["source_url"])
            for r in historic] == \
           [(r["occupation_ja"], r["fiscal_year"], r["national_simple_average_yen_per_day"], r["source_url"])
            for r in reference]
    assert {r["certainty"] for r in historic} == {"published"}


@needs_reference
def test_published_level_criteria_income_and_occupations_equal_the_reference():
    seed = {(r["field_ja"], r["level"]): r for r in read_csv(WAGE_SEEDS / "level_criteria.csv")}
    reference = read_csv(REFERENCE / "level_criteria_examples.csv")
    for ref in reference:
        row = seed[(ref["field_ja"], ref["level"])]
        assert row["certainty"] == "published"
        assert {k: row[k] for k in ref} == ref
    assert sum(r["certainty"] == "published" for r in seed.values()) == len(reference) == 5
    # every field of the occupations has levels 2-4; the modelled ones follow 215 days a year
    fields = {r["level_field_ja"] for r in read_csv(SEEDS / "occupations.csv") if r["level_field_ja"]}
    assert {f for f, _ in seed} == fields and len(seed) == 3 * len(fields)
    for (field, level), row in seed.items():
        if row["certainty"] == "modelled":
            assert row["method"]
            assert int(row["min_work_days"]) == {"2": 645, "3": 1505, "4": 2150}[level]
            assert int(row["min_work_days"]) % 215 == 0

    income = read_csv(WAGE_SEEDS / "level_income_2023.csv")
    reference = read_csv(REFERENCE / "level_income_2023.csv")
    assert [{k: r[k] for k in reference[0]} for r in income] == reference
    assert {r["certainty"] for r in income} == {"published"}

    multipliers = {r["level"]: r for r in read_csv(WAGE_SEEDS / "level_multipliers.csv")}
    assert {k: v["multiplier"] for k, v in multipliers.items()} == {"1": "0.80", "2": "0.91", "3": "1.00", "4": "1.13"}
    assert {v["working_days_basis"] for v in multipliers.values()} == {"234"}

    occupations = read_csv(SEEDS / "occupations.csv")
    reference = read_csv(REFERENCE / "occupations.csv")
    assert [{k: r[k] for k in reference[0]} for r in occupations] == reference   # extended, never renumbered
    assert {r["certainty"] for r in occupations} == {"published", "modelled"}


def test_every_wage_seed_row_says_published_or_modelled():
    for path in sorted(WAGE_SEEDS.glob("*.csv")):
        for row in read_csv(path):
            assert row["certainty"] in ("published", "modelled"), (path.name, row)
            if row["certainty"] == "published":
                assert row.get("source_url"), (path.name, row)
            else:
                assert row.get("method"), (path.name, row)


def test_associations_seed_is_the_simulators_code_list():
    from simulator import ASSOCIATIONS
    seed = [r["association_code"] for r in read_csv(WAGE_SEEDS / "associations.csv")]
    assert seed == [a.code for a in ASSOCIATIONS]


@needs_reference
def test_seed_build_script_reproduces_the_committed_seeds(tmp_path):
    script = WAGE_SEEDS / "build" / "wage_seeds.py"
    out = subprocess.run([sys.executable, str(script), "--reference", str(REFERENCE), "--out", str(tmp_path)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    for path in sorted(WAGE_SEEDS.glob("*.csv")):
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


WAGE_UNIT_TESTS = ("work_days_add_experience_at_215_days_a_year", "foreman_days_are_counted_by_role",
                   "eligibility_at_the_thresholds",
                   "level_4_needs_foreman_days_as_foreman_and_an_any_of_qualification",
                   "guideline_level_tier_and_income_of_a_wage_month",
                   "observed_income_is_scaled_by_days_and_a_tie_is_not_below",
                   "median_and_share_below_with_a_tie_at_the_guideline")


def test_the_wage_and_level_unit_tests_are_in_the_project(dbt_manifest):
    """The YAML unit tests of the wage and level formulas are defined on the wage models; they run
    (and must pass) in the suite's one unit-test build, tests/test_dbt_project.py, which checks
    that every unit test of the project ran."""
    import json

    unit_tests = json.loads(Path(dbt_manifest).read_text())["unit_tests"].values()
    names = {u["name"]: u["model"] for u in unit_tests}
    assert set(WAGE_UNIT_TESTS) <= set(names), set(WAGE_UNIT_TESTS) - set(names)
