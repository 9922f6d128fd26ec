"""The work-date scenario of the incremental tests (tests/test_dbt_incremental.py on DuckDB,
tests/test_engines.py on Spark): two days of hand-made bronze files.

Attendance (record: worker, site, work date):
  day 1  attendance_20240301  r1 W1 S1 03-01, r2 W2 S1 03-01, r3 W3 S1 02-28 (late)
         attendance_20240302  r4 W1 S1 03-02, r5 W2 S2 03-02, r7 W3 S2 02-27 (late)
         attendance_20240303  r6 W1 S1 03-03
  day 2  attendance_20240302_2  r4 only: r5 and r7 are withdrawn (02-27 becomes empty)
         attendance_20240304  r8 W1 S1 03-04, r9 W2 S1 02-26 (late, a new old date),
                              r3 again (received later), r6 again with work date 03-02
                              (03-03 becomes empty)
Changed work dates (every row of the records in files dated 03-02 or 03-04, any version):
  r4, r5 03-02; r7 02-27; r8 03-04; r9 02-26; r3 02-28; r6 03-03 and 03-02. Not 03-01.
Rosters: day 2 brings rosters_20240302_2 (W3 instead of W1) and rosters_20240304: 03-02, 03-04.
int_roster_person_days joins both: the union of the two.
"""
from __future__ import annotations

try:
    from bronze_factory import BronzeLake
except ModuleNotFoundError:  # tests/ imported as a package
    from tests.bronze_factory import BronzeLake

S1, S2 = "10000000000001", "10000000000002"
B1 = "00000000000001"
W1, W2, W3 = "wk-1", "wk-2", "wk-3"
MODELS = {"staging": ["stg_attendance", "stg_rosters"],
          "intermediate": ["int_work_history_days", "int_roster_person_days", "int_work_history_day_hours",
                           "int_worker_day_hours", "int_insurance_checks", "int_insurance_checks_monthly",
                           "int_site_worker_month_hours", "int_work_history_months",
                           "int_site_activity_days", "int_worker_month_work"]}
SELECT = ["--select", "stg_attendance", "stg_rosters", "int_work_history_days", "int_roster_person_days",
          "stg_jp_holidays", "int_work_history_day_hours", "int_worker_day_hours", "int_insurance_checks",
          "int_insurance_checks_monthly", "int_site_worker_month_hours", "int_work_history_months",
          "int_site_activity_days", "int_worker_month_work"]
# the seeds the hours models read (worktime_breaks, worktime_rules), loaded once per warehouse
SEEDS = ["--select", "worktime_breaks", "worktime_rules"]


def touch(record_id, worker_key, site_id, work_date, received):
    return {
        "record_id": record_id, "site_id": site_id, "worker_key": worker_key,
        "employer_business_id": B1, "work_date": work_date,
        "entered_at": f"{work_date}T08:00:00", "exited_at": f"{work_date}T17:00:00",
        "role": "general", "occupation_code": "06-01", "input_method": "card_reader",
        "device_id": None, "received_at": received,
    }


def roster(site_id, work_date, person_key):
    return {
        "site_id": site_id, "work_date": work_date, "business_ref": B1, "person_key": person_key,
        "is_ccus_registered": True, "role": "general", "occupation_code": "06-01",
        "insurance_check": "verified", "health_insurance": "enrolled",
        "pension_insurance": "enrolled", "employment_insurance": "enrolled", "admitted": True,
    }


def day_one(lake: BronzeLake) -> None:
    lake.add_file("attendance", "2024-03-01", [
        touch("r1", W1, S1, "2024-03-01", "2024-03-01T18:00:00"),
        touch("r2", W2, S1, "2024-03-01", "2024-03-01T18:00:00"),
        touch("r3", W3, S1, "2024-02-28", "2024-03-01T06:00:00"),
    ])
    lake.add_file("attendance", "2024-03-02", [
        touch("r4", W1, S1, "2024-03-02", "2024-03-02T18:00:00"),
        touch("r5", W2, S2, "2024-03-02", "2024-03-02T18:00:00"),
        touch("r7", W3, S2, "2024-02-27", "2024-03-02T06:00:00"),
    ])
    lake.add_file("attendance", "2024-03-03", [
        touch("r6", W1, S1, "2024-03-03", "2024-03-03T18:00:00"),
    ])
    lake.add_file("rosters", "2024-03-01", [roster(S1, "2024-03-01", W1), roster(S1, "2024-03-01", W2)])
    lake.add_file("rosters", "2024-03-02", [roster(S1, "2024-03-02", W1)])
    lake.add_file("rosters", "2024-03-03", [roster(S1, "2024-03-03", W1)])


def day_two(lake: BronzeLake) -> None:
    lake.add_file("attendance", "2024-03-02", [
        touch("r4", W1, S1, "2024-03-02", "2024-03-02T18:30:00"),
    ], version=2)
    lake.add_file("attendance", "2024-03-04", [
        touch("r8", W1, S1, "2024-03-04", "2024-03-04T18:00:00"),
        touch("r9", W2, S1, "2024-02-26", "2024-03-04T06:00:00"),
        touch("r3", W3, S1, "2024-02-28", "2024-03-04T06:00:00"),
        touch("r6", W1, S1, "2024-03-02", "2024-03-04T07:00:00"),
    ])
    lake.add_file("rosters", "2024-03-02", [roster(S1, "2024-03-02", W3)], version=2)
    lake.add_file("rosters", "2024-03-04", [roster(S1, "2024-03-04", W1)])
