"""The dbt project as Dagster sees it (kept in its own module, as dagster-dbt recommends)."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject

from ccus.paths import DBT_PROJECT_DIR

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def dbt_executable() -> str:
    """The dbt of this virtual environment, never one found elsewhere on PATH."""
    candidate = Path(sys.executable).parent / "dbt"
    return str(candidate) if candidate.exists() else (shutil.which("dbt") or "dbt")


def dbt_resource() -> DbtCliResource:
    return DbtCliResource(project_dir=dbt_project, profiles_dir=str(DBT_PROJECT_DIR),
                          dbt_executable=dbt_executable())


def ensure_manifest() -> Path:
    """Parse the project when its manifest is missing or older than any project file.

    Under a lock, so that processes started together (tests in parallel, two runs) never read a
    manifest another one is writing."""
    import fcntl

    manifest = dbt_project.manifest_path
    manifest.parent.mkdir(parents=True, exist_ok=True)
    with open(manifest.parent / ".parse.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        sources = [p for p in DBT_PROJECT_DIR.rglob("*") if p.suffix in {".sql", ".yml", ".csv"}
                   and "target" not in p.parts and "logs" not in p.parts]
        newest = max((p.stat().st_mtime for p in sources), default=0)
        if not manifest.exists() or manifest.stat().st_mtime < newest:
            dbt_resource().cli(["parse", "--quiet"], target_path=dbt_project.target_path).wait()
    return manifest
