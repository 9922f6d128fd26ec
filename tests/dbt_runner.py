"""`dbt build` of the project over a hand-made bronze lakehouse, in a subprocess, for the test modules.

dbt's unit tests check the SQL of the models, not the data, so they are the same whatever bronze
a module builds on: tests/test_dbt_project.py runs them all once (unit_tests=True) and the other
modules leave them out, as a production run does (assets/dbt.py)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PROJECT = REPO / "dbt_project"
DBT = Path(sys.executable).parent / "dbt"


def dbt_build(tmp_path: Path, lakehouse_root: str, *selection: str, unit_tests: bool = False,
              timeout: int = 600) -> tuple[subprocess.CompletedProcess, Path]:
    """Build into tmp_path/warehouse.duckdb; dbt's target and logs stay in tmp_path (apart between
    parallel runs, out of the work tree). `selection` is extra dbt arguments (--select …)."""
    warehouse = tmp_path / "warehouse.duckdb"
    env = {**os.environ, "DO_NOT_TRACK": "1", "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
           "CCUS_WAREHOUSE_PATH": str(warehouse), "CCUS_DUCKDB_MEMORY_LIMIT": "1GB",
           "DBT_TARGET_PATH": str(tmp_path / "dbt_target"), "DBT_LOG_PATH": str(tmp_path / "dbt_logs")}
    args = [str(DBT), "build", "--project-dir", str(PROJECT), "--profiles-dir", str(PROJECT), *selection,
            "--vars", f"{{lakehouse_root: '{lakehouse_root}'}}"]
    if not unit_tests:
        args += ["--exclude-resource-type", "unit_test"]
    result = subprocess.run(args, cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout)
    return result, warehouse
