"""Incremental builds by work date equal a full refresh (dbt_project/macros/incremental.sql).

Day one builds the work-date models (stg_attendance, stg_rosters, int_work_history_days,
int_roster_person_days, and the ones derived from them date by date: int_work_history_day_hours,
int_worker_day_hours, int_insurance_checks, int_site_activity_days; and by work month int_insurance_checks_monthly,
int_site_worker_month_hours, int_work_history_months, int_worker_month_work) from three days of files.
Day two brings a new day's files (with late records for old dates and a re-sent record), and a
corrected `_2` attendance file and roster file for 03-02. The incremental build must recompute
exactly the work dates those files can change, and end with the same tables as a
`--full-refresh` build of the same bronze; a third build with nothing new changes nothing.

The scenario (tests/work_date_scenario.py): changed work dates 02-26, 02-27, 02-28, 03-02,
03-03 and 03-04 for attendance; 03-02 and 03-04 for rosters; not 03-01.

The data tests of an incremental build read only the recomputed dates
(macros/tests_on_changed_dates.sql): a fault planted on 03-01, which day two did not change, is not
seen by them; the same fault on 03-02 is; `ccus_test_all_history` sees both; after a full build
the tests read everything again.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

try:
    from bronze_factory import BronzeLake
    from work_date_scenario import MODELS, SEEDS, SELECT, W1, W2, W3, day_one, day_two
except ModuleNotFoundError:  # tests/ imported as a package
    from tests.bronze_factory import BronzeLake
    from tests.work_date_scenario import MODELS, SEEDS, SELECT, W1, W2, W3, day_one, day_two

REPO = Path(__file__).resolve().parents[1]
PROJECT = REPO / "dbt_project"
DBT = Path(sys.executable).parent / "dbt"


def dbt_run(tmp_path: Path, lake: BronzeLake, warehouse: Path, *extra: str, command: str = "run",
            select: list[str] = SELECT, dbt_vars: str = "", check: bool = True) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DO_NOT_TRACK": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "CCUS_WAREHOUSE_PATH": str(warehouse),
        "CCUS_DUCKDB_MEMORY_LIMIT": "1GB",
        "DBT_TARGET_PATH": str(tmp_path / f"target_{warehouse.stem}"),
        "DBT_LOG_PATH": str(tmp_path / "dbt_logs"),
    }
    result = subprocess.run(
        [str(DBT), command, "--project-dir", str(PROJECT), "--profiles-dir", str(PROJECT),
         "--vars", f"{{lakehouse_root: '{lake.root}'{dbt_vars}}}", *select, *extra],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
    )
    if check:
        assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    return result


def snapshot(warehouse: Path) -> dict[str, list[tuple]]:
    """Every row of every incremental model, sorted, all columns."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {name: sorted(con.execute(f"select * from {schema}.{name}").fetchall(), key=repr)
                for schema, names in MODELS.items() for name in names}
    finally:
        con.close()


def changed_dates(warehouse: Path, schema: str, model: str) -> list[str]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute(f"select work_date from {schema}.{model}__changed_dates order by 1").fetchall()
    finally:
        con.close()
    return [r[0].isoformat() for r in rows]


def changed_dates_cache(warehouse: Path) -> dict[str, tuple[int, list[str]]]:
    """The invocation's cache of changed dates (macros/changed_dates_cache.sql): per key, its
    marker rows (one per computation) and its dates."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute("select cache_key, count(*) filter (where work_date is null), "
                           "list(work_date order by work_date) filter (where work_date is not null) "
                           "from main.ccus_changed_work_dates group by cache_key").fetchall()
    finally:
        con.close()
    return {key: (markers, [d.isoformat() for d in dates or []]) for key, markers, dates in rows}


def first_build(tmp_path: Path, lake: BronzeLake, warehouse: Path, *extra: str) -> None:
    dbt_run(tmp_path, lake, warehouse, command="seed", select=SEEDS)
    dbt_run(tmp_path, lake, warehouse, *extra)


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("dbt_incremental")
    lake = BronzeLake(tmp_path / "lakehouse")
    day_one(lake)
    lake.write()
    incremental = tmp_path / "incremental.duckdb"
    first_build(tmp_path, lake, incremental)
    after_day_one = snapshot(incremental)

    # a copy as a deployment made before the hours models kept _committed_at would have it
    upgraded = tmp_path / "upgraded.duckdb"
    shutil.copy(incremental, upgraded)
    con = duckdb.connect(str(upgraded))
    con.execute("alter table intermediate.int_work_history_day_hours drop column _committed_at")
    con.close()

    day_two(lake)
    lake.write()
    dbt_run(tmp_path, lake, incremental)
    after_day_two = snapshot(incremental)
    dbt_run(tmp_path, lake, upgraded)
    after_upgrade = snapshot(upgraded)
    dates = {m: changed_dates(incremental, s, m) for s, names in MODELS.items() for m in names}
    cache = changed_dates_cache(incremental)

    dbt_run(tmp_path, lake, incremental)   # nothing new
    rerun = snapshot(incremental)
    rerun_dates = {m: changed_dates(incremental, s, m) for s, names in MODELS.items() for m in names}

    full = tmp_path / "full.duckdb"
    first_build(tmp_path, lake, full, "--full-refresh")
    return {"day_one": after_day_one, "day_two": after_day_two, "dates": dates,
            "rerun": rerun, "rerun_dates": rerun_dates, "cache": cache, "full": snapshot(full), "upgraded": after_upgrade}


def test_incremental_equals_full_refresh(builds):
    for model, rows in builds["full"].items():
        assert builds["day_two"][model] == rows, model


def test_a_table_without_its_watermark_column_is_rebuilt_whole_once(builds):
    # the old table had no _committed_at: every date was recomputed, and the column came back
    assert builds["upgraded"] == builds["full"]


def test_only_changed_dates_are_recomputed(builds):
    attendance = ["2024-02-26", "2024-02-27", "2024-02-28", "2024-03-02", "2024-03-03", "2024-03-04"]
    assert builds["dates"] == {
        "stg_attendance": attendance,
        "int_work_history_days": attendance,
        "stg_rosters": ["2024-03-02", "2024-03-04"],
        # rosters or attendance: the union
        "int_roster_person_days": attendance,
        # the models derived from those, date by date, recompute the same dates
        "int_work_history_day_hours": attendance,
        "int_worker_day_hours": attendance,
        "int_insurance_checks": attendance,
        "int_site_activity_days": attendance,
        # keyed on the month: every month holding one of those dates (February and March) is
        # recomputed whole, 03-01 included; the dates table is the same
        "int_insurance_checks_monthly": attendance,
        "int_site_worker_month_hours": attendance,
        "int_work_history_months": attendance,
        "int_worker_month_work": attendance,
    }


def test_a_feeds_changed_dates_are_computed_once_per_build(builds):
    # the twelve models above asked for their changed dates; every one of the attendance-fed
    # ones and the roster-fed ones got them from one computation per feed: one key each, with
    # one marker row (a second computation would insert a second marker)
    cache = {key.split("|")[0]: value for key, value in builds["cache"].items()}
    assert len(builds["cache"]) == 2
    assert cache == {
        "attendance": (1, ["2024-02-26", "2024-02-27", "2024-02-28", "2024-03-02", "2024-03-03", "2024-03-04"]),
        "rosters": (1, ["2024-03-02", "2024-03-04"]),
    }


def test_corrections_and_late_records_land(builds):
    got = {(r[0], r[4].isoformat(), r[16]) for r in builds["day_two"]["stg_attendance"]}
    records = sorted((record_id, work_date) for record_id, work_date, _ in got)
    # r5 and r7 withdrawn by the _2 file; r6 moved to 03-02; r9 a late record for 02-26
    assert records == [("r1", "2024-03-01"), ("r2", "2024-03-01"), ("r3", "2024-02-28"),
                       ("r4", "2024-03-02"), ("r6", "2024-03-02"), ("r8", "2024-03-04"),
                       ("r9", "2024-02-26")]
    # the untouched date keeps its day-one rows, byte for byte
    day_one_0301 = [r for r in builds["day_one"]["stg_attendance"] if r[4].isoformat() == "2024-03-01"]
    day_two_0301 = [r for r in builds["day_two"]["stg_attendance"] if r[4].isoformat() == "2024-03-01"]
    assert day_one_0301 == day_two_0301 and len(day_two_0301) == 2
    rosters = sorted((r[1].isoformat(), r[3]) for r in builds["day_two"]["stg_rosters"])
    assert rosters == [("2024-03-01", W1), ("2024-03-01", W2), ("2024-03-02", W3),
                       ("2024-03-03", W1), ("2024-03-04", W1)]
    # matched with the work history: W1 03-01 (r1), W2 03-01 (r2), W1 03-04 (r8); W3 has no
    # touch on 03-02, and W1's 03-03 touch (r6) moved to 03-02
    matched = sorted((r[1].isoformat(), r[3], r[13]) for r in builds["day_two"]["int_roster_person_days"])
    assert matched == [("2024-03-01", W1, True), ("2024-03-01", W2, True), ("2024-03-02", W3, False),
                       ("2024-03-03", W1, False), ("2024-03-04", W1, True)]


def test_rerun_without_new_files_changes_nothing(builds):
    assert builds["rerun"] == builds["day_two"]
    assert all(dates == [] for dates in builds["rerun_dates"].values())


# not_null on stg_attendance.site_id, alone (its relationships tests need stg_sites)
SITE_NOT_NULL = ["--select", "not_null_stg_attendance_site_id"]


def plant_null_site(warehouse: Path, work_date: str) -> None:
    con = duckdb.connect(str(warehouse))
    try:
        con.execute("update staging.stg_attendance set site_id = null where work_date = ?", [work_date])
    finally:
        con.close()


def site_not_null_fails(tmp_path: Path, lake: BronzeLake, warehouse: Path, dbt_vars: str = "") -> bool:
    result = dbt_run(tmp_path, lake, warehouse, command="test", select=SITE_NOT_NULL, dbt_vars=dbt_vars,
                     check=False)
    output = result.stdout + result.stderr
    assert "not_null_stg_attendance_site_id" in output, output[-4000:]
    return result.returncode != 0


def test_tests_of_an_incremental_build_read_only_its_dates(tmp_path):
    lake = BronzeLake(tmp_path / "lakehouse")
    day_one(lake)
    lake.write()
    warehouse = tmp_path / "tested.duckdb"
    first_build(tmp_path, lake, warehouse)
    day_two(lake)
    lake.write()
    dbt_run(tmp_path, lake, warehouse)       # recomputes 02-26..02-28 and 03-02..03-04, not 03-01

    plant_null_site(warehouse, "2024-03-01")
    assert not site_not_null_fails(tmp_path, lake, warehouse)
    assert site_not_null_fails(tmp_path, lake, warehouse, dbt_vars=", ccus_test_all_history: true")
    plant_null_site(warehouse, "2024-03-02")
    assert site_not_null_fails(tmp_path, lake, warehouse)

    # a full build drops the dates table: its tests read every date again
    dbt_run(tmp_path, lake, warehouse, "--full-refresh")
    plant_null_site(warehouse, "2024-03-01")
    assert site_not_null_fails(tmp_path, lake, warehouse)
