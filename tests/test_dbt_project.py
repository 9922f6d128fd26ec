"""End-to-end tests of the dbt project (dbt_project/) on a tiny hand-made bronze lakehouse.

`dbt build` runs as a subprocess (seeds, models, data tests and unit tests), then the DuckDB
file is opened read-only and the marts are compared with figures computed by hand below.

The scenario (all of 2024):

  businesses  B1 corp,  pref 13, registered 01-05
              B3 corp,  pref 13, registered 01-20, withdrawn (updated_at 03-15 -> from March)
              B2 sole,  pref 27, registered 02-10
  workers     W1 (employer B1, 06-01) registered 01-15  (+ a stale row with an older updated_at)
              W2 (employer B1, 10-01) registered 02-15  (occupation corrected on 02-20)
              W3 (employer B2, 06-01) registered 03-15
              W4 registered 04-10 in a file with NO audit row (uncommitted: ignored)
  sites       S1 pref 13, registered 01-08, card reader;  S2 pref 27, registered 03-02, none
  attendance  W1 touches twice at S1 on 03-01 (08:00-12:00 card reader, 13:00-17:30 foreman)
              W3 at S1 on 02-29 (received on 03-01, and again on 03-03: one record)
              W2 at S1 on 03-02, no exit: in attendance_20240302.csv v1 AND its correction v2;
                 v1 also holds W2 at S2 on 04-02, which v2 drops (superseded: ignored)
              W1 at S2 on 03-31 in a file with NO audit row (uncommitted: ignored)

Month range: January (B1 registered 01-05) to March (latest work date 03-02, latest
registration 03-15). April would appear if W4, or the superseded 04-02 touch, leaked through.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import re
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

D = dt.date
T = dt.datetime

B1, B2, B3 = "00000000000001", "00000000000002", "00000000000003"
S1, S2 = "10000000000001", "10000000000002"
W1, W2, W3, W4 = "wk-1", "wk-2", "wk-3", "wk-4"


def business(business_id, pref, sole, registered_on, updated_at, withdrawn=False):
    return {
        "business_id": business_id, "business_name": None if sole else f"株式会社{business_id[-1]}",
        "prefecture_code": pref, "is_sole_proprietor": sole, "capital_yen": None,
        "employee_count": 1 if sole else 20, "registered_on": registered_on,
        "association_codes": [] if sole else ["A01"],
        "health_insurance": "enrolled", "pension_insurance": "enrolled",
        "employment_insurance": "exempt" if sole else "enrolled",
        "kentaikyo_contractor_no": None, "updated_at": updated_at, "is_withdrawn": withdrawn,
    }


def worker(key, employer, occupation, registered_on, updated_at):
    return {
        "worker_key": key, "birth_year": 1985, "employer_business_id": employer,
        "occupation_code": occupation, "registration_type": "detailed",
        "registered_on": registered_on, "level": 2, "level_judged_on": None,
        "qualifications": ["TAMAKAKE"], "experience_start_on": "2010-04-01",
        "health_insurance": "enrolled", "pension_insurance": "enrolled",
        "employment_insurance": "enrolled", "insurance_verified_on": registered_on,
        "has_kentaikyo_member_no": True, "updated_at": updated_at,
    }


def site(site_id, pref, registered_on, card_reader):
    return {
        "site_id": site_id, "site_name": f"現場{site_id[-1]}", "prefecture_code": pref,
        "orderer_type": "mlit", "is_public_works": True, "model_project_type": "none",
        "contract_amount_yen": 100_000_000, "start_on": "2024-01-08", "end_on": "2024-12-20",
        "prime_business_id": B1, "kentaikyo_method": "electronic",
        "card_reader_installed": card_reader, "two_days_off_type": "whole_period",
        "registered_on": registered_on, "updated_at": f"{registered_on}T09:00:00",
    }


def touch(record_id, worker_key, site_id, work_date, entered, exited, received,
          role="general", method="card_reader", employer=B1, occupation="06-01"):
    return {
        "record_id": record_id, "site_id": site_id, "worker_key": worker_key,
        "employer_business_id": employer, "work_date": work_date,
        "entered_at": f"{work_date}T{entered}", "exited_at": exited and f"{work_date}T{exited}",
        "role": role, "occupation_code": occupation, "input_method": method,
        "device_id": None, "received_at": received,
    }


def build_scenario(lake: BronzeLake) -> dict[str, str]:
    shas = {}
    shas["businesses_0110"] = lake.add_file("businesses", "2024-01-10", [
        business(B1, "13", False, "2024-01-05", "2024-01-05T10:00:00"),
        business(B3, "13", False, "2024-01-20", "2024-01-20T10:00:00"),
    ])
    lake.add_file("businesses", "2024-02-10", [
        business(B2, "27", True, "2024-02-10", "2024-02-10T10:00:00"),
    ])
    lake.add_file("businesses", "2024-03-15", [
        business(B3, "13", False, "2024-01-20", "2024-03-15T10:00:00", withdrawn=True),
    ])

    shas["workers_0115"] = lake.add_file("workers", "2024-01-15", [
        worker(W1, B1, "06-01", "2024-01-15", "2024-01-15T09:00:00"),
    ])
    lake.add_file("workers", "2024-02-15", [
        worker(W2, B1, "06-01", "2024-02-15", "2024-02-15T09:00:00"),
    ])
    lake.add_file("workers", "2024-02-20", [
        worker(W2, B1, "10-01", "2024-02-15", "2024-02-20T09:00:00"),   # correction wins
        # a later FILE but an older updated_at: the registry's latest row stays
        worker(W1, B1, "12-01", "2024-01-15", "2024-01-01T09:00:00"),
    ])
    lake.add_file("workers", "2024-03-15", [
        worker(W3, B2, "06-01", "2024-03-15", "2024-03-15T09:00:00"),
    ])
    # written to bronze, but the ingestion "crashed" before its audit row: not committed
    lake.add_file("workers", "2024-04-10", [
        worker(W4, B1, "06-01", "2024-04-10", "2024-04-10T09:00:00"),
    ], commit=False)

    lake.add_file("sites", "2024-01-08", [site(S1, "13", "2024-01-08", True)])
    lake.add_file("sites", "2024-03-02", [site(S2, "27", "2024-03-02", False)])

    shas["attendance_0301"] = lake.add_file("attendance", "2024-03-01", [
        touch("r1", W1, S1, "2024-03-01", "08:00:00", "12:00:00", "2024-03-01T18:00:00"),
        touch("r2", W1, S1, "2024-03-01", "13:00:00", "17:30:00", "2024-03-01T18:00:00",
              role="foreman", method="face_recognition"),
        touch("r7", W3, S1, "2024-02-29", "08:00:00", "17:00:00", "2024-03-01T06:00:00",
              employer=B2),
    ])
    lake.add_file("attendance", "2024-03-02", [
        touch("r5", W2, S2, "2024-04-02", "08:00:00", "17:00:00", "2024-03-02T18:00:00",
              occupation="10-01"),
        touch("r3", W2, S1, "2024-03-02", "08:00:00", None, "2024-03-02T18:00:00",
              occupation="10-01"),
    ])
    lake.add_file("attendance", "2024-03-02", [
        touch("r3", W2, S1, "2024-03-02", "08:00:00", None, "2024-03-02T18:30:00",
              occupation="10-01"),
    ], version=2)
    lake.add_file("attendance", "2024-03-03", [   # r7 sent again: still one record
        touch("r7", W3, S1, "2024-02-29", "08:00:00", "17:00:00", "2024-03-03T06:00:00",
              employer=B2),
    ])
    lake.add_file("attendance", "2024-03-31", [
        touch("r9", W1, S2, "2024-03-31", "08:00:00", "17:00:00", "2024-03-31T18:00:00"),
    ], commit=False)

    # The same workers file delivered again under another path: a 'duplicate' audit row and no
    # bronze rows; its sha256 is the committed file's, which must not count twice.
    lake.add_audit("workers", "workers_20240115.csv", sha256=shas["workers_0115"],
                   path="workers/resent/workers_20240115.csv", file_date="2024-01-15",
                   rows_read=1, rows_accepted=0, status="duplicate",
                   message="same content as workers/workers_20240115.csv",
                   ingested_at="2024-03-20T10:00:00")
    # A re-run saw attendance_20240301.csv again at the same path: the mart keeps 'ingested'.
    lake.add_audit("attendance", "attendance_20240301.csv", sha256=shas["attendance_0301"],
                   file_date="2024-03-01", rows_read=3, rows_accepted=0, status="duplicate",
                   ingested_at="2024-03-21T10:00:00")
    # A file quarantined whole: an audit row, no bronze rows.
    lake.add_audit("sites", "sites_20240305.csv", file_date="2024-03-05", rows_read=2,
                   rows_quarantined=2, status="quarantined", reason="missing_required_columns",
                   message="sites_20240305.csv: missing required column site_id",
                   quarantine_reasons={"missing_required_columns": 2})
    return shas


def dbt_build(tmp_path: Path, lakehouse_root: str) -> tuple[subprocess.CompletedProcess, Path]:
    # every unit test of the project runs here, once for the suite (tests/dbt_runner.py)
    return build(tmp_path, lakehouse_root, unit_tests=True, timeout=300)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("dbt_scenario")
    lake = BronzeLake(tmp_path / "lakehouse")
    build_scenario(lake)
    lake.write()
    result, path = dbt_build(tmp_path, str(lake.root))
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    assert "ERROR=0" in result.stdout and "WARN=0" in result.stdout, result.stdout[-3000:]
    # the only build of the suite that runs the unit tests: every one the project defines ran
    defined = json.loads((tmp_path / "dbt_target" / "manifest.json").read_text())["unit_tests"]
    # dbt lists the kinds in no fixed order ("…, 45 unit tests, 1 view model in …")
    ran = re.search(r"Finished running .*?\b(\d+) unit tests?\b", result.stdout)
    assert defined and ran and int(ran.group(1)) == len(defined), (len(defined), result.stdout[-1500:])
    con = duckdb.connect(str(path), read_only=True)
    yield con
    con.close()


def rows(con, sql):
    return con.execute(sql).fetchall()


def test_schemas_are_named_literally(warehouse):
    schemas = {r[0] for r in rows(warehouse, "select distinct table_schema from information_schema.tables")}
    assert {"staging", "intermediate", "marts", "seeds"} <= schemas
    marts = {r[0] for r in rows(warehouse, "select table_name from information_schema.tables "
                                           "where table_schema = 'marts'")}
    # only contract marts: everything in `marts` is exported to gold/
    assert {"adoption_national", "adoption_monthly", "ingest_audit", "target_progress",
            "published_adoption"} <= marts
    # exactly the models under models/marts/ (contract and breakdown marts), nothing else
    assert marts == {p.stem for p in (PROJECT / "models" / "marts").rglob("*.sql")}


def test_adoption_national(warehouse):
    got = rows(warehouse, """
        select month, registered_workers, registered_businesses, registered_businesses_excl_sole,
               new_workers, new_businesses, active_workers, work_history_days,
               sites_registered, sites_with_card_reader
        from marts.adoption_national order by month""")
    assert got == [
        # registered_workers: W1 (01-15) -> 1, + W2 (02-15) -> 2, + W3 (03-15) -> 3
        #   (W4 is uncommitted: no 4, no April)
        # registered_businesses: B1 + B3 = 2; + B2 (sole) = 3; B3 withdrawn from March -> 2
        # excl. sole: B1 + B3 = 2; 2; B1 = 1
        # active (30 days up to the month end): January none; February W3 (02-29);
        #   March W2 (03-02 = 31 - 29, the 30th day) but not W1 (03-01, the 31st day)
        # work-history days: February W3 02-29 = 1; March W1 03-01 (2 touches) + W2 03-02 = 2
        #   (the superseded S2 touch and the uncommitted one are not counted)
        # sites: S1 (01-08, card reader); S2 (03-02, none)
        (D(2024, 1, 1), 1, 2, 2, 1, 2, 0, 0, 1, 1),
        (D(2024, 2, 1), 2, 3, 2, 1, 1, 1, 1, 1, 1),
        (D(2024, 3, 1), 3, 2, 1, 1, 0, 1, 2, 2, 1),
    ]
    headline = rows(warehouse, """
        select month, new_businesses_excl_sole, new_sites, work_history_days_fiscal_ytd,
               work_history_days_cumulative
        from marts.adoption_national order by month""")
    assert headline == [
        # new without 一人親方: B1 + B3 in January; B2 (sole) in February; none in March.
        # new sites: S1 in January, S2 in March. Work-history days 0, 1, 2, all in FY2023
        # (April 2023 - March 2024): 0, 0 + 1 = 1, 1 + 2 = 3, and the same cumulatively.
        (D(2024, 1, 1), 2, 1, 0, 0),
        (D(2024, 2, 1), 0, 0, 1, 1),
        (D(2024, 3, 1), 0, 1, 3, 3),
    ]


def test_work_history_day_merges_touches(warehouse):
    got = rows(warehouse, """
        select worker_key, site_id, work_date, entered_at, exited_at, touch_count, role,
               input_method, employer_business_id
        from intermediate.int_work_history_days order by work_date, worker_key""")
    assert got == [
        # W3's record r7 arrived twice (03-01 and 03-03): one touch
        (W3, S1, D(2024, 2, 29), T(2024, 2, 29, 8), T(2024, 2, 29, 17), 1, "general",
         "card_reader", B2),
        # W1: two touches -> one day, earliest entry 08:00, latest exit 17:30, highest role
        # (foreman), input method of the earliest touch (card reader)
        (W1, S1, D(2024, 3, 1), T(2024, 3, 1, 8), T(2024, 3, 1, 17, 30), 2, "foreman",
         "card_reader", B1),
        # W2: only the corrected file's row; no exit recorded -> NULL
        (W2, S1, D(2024, 3, 2), T(2024, 3, 2, 8), None, 1, "general", "card_reader", B1),
    ]


def test_staging_keeps_latest_and_committed_rows(warehouse):
    workers = dict(rows(warehouse, "select worker_key, occupation_code from staging.stg_workers"))
    # W1's later file carries an older updated_at: not applied; W2's correction applied;
    # W4 (uncommitted file) absent
    assert workers == {W1: "06-01", W2: "10-01", W3: "06-01"}
    businesses = rows(warehouse, """
        select business_id, is_withdrawn, business_name is null
        from staging.stg_businesses order by business_id""")
    assert businesses == [(B1, False, False), (B2, False, True), (B3, True, False)]
    # attendance: r5 (superseded v1) gone, r9 (uncommitted) gone, r3 from the v2 file
    attendance = rows(warehouse, """
        select record_id, _file_version, received_at from staging.stg_attendance order by record_id""")
    assert attendance == [
        ("r1", 1, T(2024, 3, 1, 18)), ("r2", 1, T(2024, 3, 1, 18)),
        ("r3", 2, T(2024, 3, 2, 18, 30)),
        ("r7", 1, T(2024, 3, 3, 6)),   # the latest received_at of the two deliveries
    ]


def test_adoption_monthly(warehouse):
    got = rows(warehouse, """
        select month, prefecture_code, occupation_code, registered_workers, new_workers,
               active_workers, work_history_days
        from marts.adoption_monthly order by month, prefecture_code, occupation_code""")
    assert got == [
        # W1 -> (13 via B1, 06-01); W2 -> (13 via B1, 10-01); W3 -> (27 via B2, 06-01)
        (D(2024, 1, 1), "13", "06-01", 1, 1, 0, 0),
        (D(2024, 2, 1), "13", "06-01", 1, 0, 0, 0),
        (D(2024, 2, 1), "13", "10-01", 1, 1, 0, 0),
        (D(2024, 2, 1), "27", "06-01", 0, 0, 1, 1),   # W3 works before registering
        (D(2024, 3, 1), "13", "06-01", 1, 0, 0, 1),   # W1's day on 03-01 (31st day: inactive)
        (D(2024, 3, 1), "13", "10-01", 1, 0, 1, 1),   # W2 on 03-02
        (D(2024, 3, 1), "27", "06-01", 1, 1, 0, 0),
    ]
    # every measure adds up to the national one
    total = rows(warehouse, """
        select sum(registered_workers), sum(new_workers), sum(active_workers), sum(work_history_days)
        from marts.adoption_monthly where month = date '2024-03-01'""")
    assert total == [(3, 1, 1, 2)]


def test_ingest_audit(warehouse):
    got = rows(warehouse, """
        select path, status, rows_read, rows_accepted, rows_quarantined
        from marts.ingest_audit order by path""")
    by_path = {r[0]: r[1:] for r in got}
    # uncommitted files have no audit row at all
    assert "workers/workers_20240410.csv" not in by_path
    # ingested: businesses 3 + workers 4 + sites 2 + attendance 4 (incl. both versions of
    # 03-02) = 13; + the duplicate delivery + the quarantined file = 15 paths
    assert len(got) == 15
    assert by_path["workers/resent/workers_20240115.csv"] == ("duplicate", 1, 0, 0)
    assert by_path["workers/workers_20240115.csv"] == ("ingested", 1, 1, 0)
    # the re-run's later 'duplicate' row for the same path and content does not hide it
    assert by_path["attendance/attendance_20240301.csv"] == ("ingested", 3, 3, 0)
    assert by_path["sites/sites_20240305.csv"] == ("quarantined", 2, 0, 2)
    # rows read = accepted + quarantined, per file
    assert all(r[2] == r[3] + r[4] for r in got if r[1] != "duplicate")
    columns = [r[0] for r in rows(warehouse, "select column_name from information_schema.columns "
                                             "where table_schema = 'marts' and table_name = 'ingest_audit' "
                                             "order by ordinal_position")]
    assert columns[:4] == ["feed", "file", "path", "sha256"]
    assert {"rows_read", "rows_accepted", "rows_quarantined", "status", "reason", "message",
            "warnings", "quarantine_reasons", "ingested_at", "file_date"} <= set(columns)


def test_target_progress(warehouse):
    got = rows(warehouse, """
        select target_id, as_of, value, target_value, share, projected_date, projection_status
        from marts.target_progress
        where target_id in ('original_year1', 'reset_fy2020_businesses', 'reset_fy2020_records')
        order by target_id, as_of""")
    assert got == [
        # registered_workers 1, 2, 3 against 1,000,000. Pace in February: (2 - 1) / 29 days;
        # (1,000,000 - 2) * 29 / 1 days = 28,999,942 days: past 2100-12-31 -> NULL, unreachable
        ("original_year1", D(2024, 1, 31), 1, 1_000_000, 1 / 1_000_000, None, "no_history"),
        ("original_year1", D(2024, 2, 29), 2, 1_000_000, 2 / 1_000_000, None, "unreachable"),
        ("original_year1", D(2024, 3, 31), 3, 1_000_000, 3 / 1_000_000, None, "unreachable"),
        # registered_businesses 2, 3, 2 against 70,000. January: first month end, no pace.
        # February: growth 3 - 2 = 1 over 29 days; ceil((70,000 - 3) * 29 / 1) = 2,029,913 days
        # after 2024-02-29 = 7581-11-16: past 2100-12-31, not a date (unreachable).
        # March: growth 2 - 2 = 0 -> pace <= 0 -> unreachable
        ("reset_fy2020_businesses", D(2024, 1, 31), 2, 70_000, 2 / 70_000, None, "no_history"),
        ("reset_fy2020_businesses", D(2024, 2, 29), 3, 70_000, 3 / 70_000, None, "unreachable"),
        ("reset_fy2020_businesses", D(2024, 3, 31), 2, 70_000, 2 / 70_000, None, "unreachable"),
        # work records in FY2023 (April 2023 - March 2024) up to each month end: 0, 1, 1 + 2 = 3;
        # paces 1 / 29 and 3 / 60 days: far past the fiscal year's end (2024-03-31) -> unreachable
        ("reset_fy2020_records", D(2024, 1, 31), 0, 7_200_000, 0.0, None, "no_history"),
        ("reset_fy2020_records", D(2024, 2, 29), 1, 7_200_000, 1 / 7_200_000, None, "unreachable"),
        ("reset_fy2020_records", D(2024, 3, 31), 3, 7_200_000, 3 / 7_200_000, None, "unreachable"),
    ]
    # every target x every month end
    assert rows(warehouse, "select count(*) from marts.target_progress") == [(8 * 3,)]
    # each target carries its names, deadline and source for the pages
    named = rows(warehouse, """select distinct name_ja, deadline, source_url from marts.target_progress
                               where target_id = 'low_fy2026_workers'""")
    assert named == [("登録技能者150万人（2026年度・低位推計）", D(2027, 3, 31),
                      "http://senmonshi.com/archive/01/01FAMH712H2U2A.asp")]


def test_adoption_targets_seed_holds_the_published_targets():
    """The seed is reference/adoption_targets.csv (the published targets, with their sources)
    plus a Japanese and an English name for each: the published columns cannot drift."""
    def read(path):
        with open(path, encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))

    published = read(REPO / "reference" / "adoption_targets.csv")
    seed = read(PROJECT / "seeds" / "adoption_targets.csv")
    assert [{k: r[k] for k in published[0]} for r in seed] == published
    assert set(seed[0]) - set(published[0]) == {"name_ja", "name_en"}
    assert all(r["name_ja"] and r["name_en"] for r in seed)


def test_published_adoption_and_seeds(warehouse):
    first = rows(warehouse, """
        select as_of, registered_workers, registered_businesses, businesses_basis, source_url
        from marts.published_adoption order by as_of limit 1""")
    assert first == [(D(2019, 4, 26), 29752, 10998, "incl_sole_proprietors",
                      "http://senmonshi.com/archive/01/01E9@HpP2H2U2A.asp")]
    prefectures = rows(warehouse, "select prefecture_code, name_ja, region_block "
                                  "from seeds.prefectures order by prefecture_code")
    assert len(prefectures) == 47
    assert prefectures[0] == ("01", "北海道", "北海道")       # leading zero kept
    assert prefectures[12] == ("13", "東京都", "関東")
    occupations = dict(rows(warehouse, "select occupation_code, name_ja from seeds.occupations"))
    assert occupations["06-01"] == "とび工"


def test_marts_types(warehouse):
    types = dict(rows(warehouse, """
        select table_name || '.' || column_name, data_type from information_schema.columns
        where table_schema = 'marts'"""))
    assert types["adoption_national.month"] == "DATE"
    assert types["adoption_national.registered_workers"] == "BIGINT"   # not HUGEINT
    assert types["adoption_monthly.work_history_days"] == "BIGINT"
    assert types["target_progress.share"] == "DOUBLE"
    assert types["target_progress.projected_date"] == "DATE"
    assert types["target_progress.as_of"] == "DATE"


def test_empty_lakehouse_builds(tmp_path):
    """Only the _schema/empty.parquet files: every model builds, the marts are empty.
    The root is given with a trailing slash, as an s3://bucket/prefix/ might be."""
    lake = BronzeLake(tmp_path / "lakehouse")
    lake.write()
    result, path = dbt_build(tmp_path, str(lake.root) + "/")
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    con = duckdb.connect(str(path), read_only=True)
    try:
        assert rows(con, "select count(*) from marts.adoption_national") == [(0,)]
        assert rows(con, "select count(*) from marts.target_progress") == [(0,)]
        assert rows(con, "select count(*) from marts.published_adoption") == [(13,)]
    finally:
        con.close()


def test_factory_schemas_match_the_ingestion():
    """The hand-made bronze of these tests has the shape the ingestion writes."""
    from ccus.feeds import bronze
    from ccus.feeds.contract import FEEDS

    from_factory = __import__("bronze_factory") if "bronze_factory" in sys.modules else None
    factory = from_factory or __import__("tests.bronze_factory", fromlist=["bronze_schema"])

    def fields(schema):
        return {(f.name, str(f.type)) for f in schema}

    for name, feed in FEEDS.items():
        assert fields(factory.bronze_schema(name)) == fields(bronze.schema(feed)), name
    assert fields(factory.bronze_schema("ingest_audit")) == fields(bronze.AUDIT)


def test_input_method_mix_adds_up_to_the_national_work_history_days(warehouse):
    """Every work-history day has one input method (its first touch's): the methods of a month
    add up to adoption_national's work_history_days (the formula itself: the mart's unit test)."""
    by_method = rows(warehouse, """select month, sum(work_history_days)::bigint from marts.adoption_input_method_monthly
                                   group by month order by month""")
    national = rows(warehouse, """select month, work_history_days from marts.adoption_national
                                  where work_history_days > 0 order by month""")
    assert by_method == national and len(national) > 0
