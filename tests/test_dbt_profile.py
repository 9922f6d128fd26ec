"""The dbt profile's DuckDB options survive a spill to disk (the national build failed on this).

dbt-duckdb re-applies the profile's `settings:` with SET on every new cursor, and DuckDB 2.0
refuses to change temp_directory once a query has spilled into it. The profile therefore sets
memory_limit, temp_directory and threads once at connect (`config_options:`). This test runs
the real profile (dbt_project/profiles.yml) on a two-model project: the first model sorts more
than memory_limit allows, so it can only succeed by spilling; the second opens a new cursor
after the spill and records the settings it sees.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[1]
PROFILES = REPO / "dbt_project"
DBT = Path(sys.executable).parent / "dbt"

# 1 M rows of (BIGINT, 32-character md5): ≈60 MB to sort, against a 24 MB limit.
SPILL_SQL = """
select i, md5(cast(i as varchar)) as digest
from range(1000000) as t(i)
order by digest
"""
AFTER_SQL = """
select
    count(*) as row_count,
    count(distinct digest) as distinct_digests,
    current_setting('temp_directory') as temp_directory,
    current_setting('memory_limit') as memory_limit,
    current_setting('threads') as threads
from {{ ref('spill') }}
"""


def test_build_spills_then_opens_new_cursors(tmp_path):
    project = tmp_path / "project"
    (project / "models").mkdir(parents=True)
    (project / "dbt_project.yml").write_text(
        "name: spill_probe\nversion: '1.0.0'\nconfig-version: 2\nprofile: ccus\n"
        "models:\n  spill_probe:\n    +materialized: table\n")
    (project / "models" / "spill.sql").write_text(SPILL_SQL)
    (project / "models" / "after_spill.sql").write_text(AFTER_SQL)
    warehouse = tmp_path / "warehouse.duckdb"
    temp_dir = tmp_path / "spill"
    env = {
        **os.environ,
        "DO_NOT_TRACK": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "CCUS_WAREHOUSE_PATH": str(warehouse),
        "CCUS_DUCKDB_MEMORY_LIMIT": "24MB",
        "CCUS_DUCKDB_TEMP": str(temp_dir),
        "CCUS_DUCKDB_THREADS": "1",
        "DBT_TARGET_PATH": str(tmp_path / "target"),
        "DBT_LOG_PATH": str(tmp_path / "logs"),
    }
    result = subprocess.run(
        [str(DBT), "build", "--project-dir", str(project), "--profiles-dir", str(PROFILES)],
        env=env, capture_output=True, text=True, timeout=240, cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "PASS=2" in result.stdout, result.stdout[-2000:]

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        got = con.execute("select * from main.after_spill").fetchall()
    finally:
        con.close()
    (row_count, distinct, seen_temp, seen_limit, seen_threads), = got
    assert (row_count, distinct) == (1_000_000, 1_000_000)
    assert Path(seen_temp) == temp_dir
    assert int(seen_threads) == 1
    # DuckDB reports 24 MB as 22.8 MiB
    assert seen_limit.endswith("MiB") and float(seen_limit.split()[0]) < 25
