"""The dbt models follow the project's SQL style: sqlfluff with the dbt templater (.sqlfluff says
which rules and why) finds nothing, and it does find a planted violation."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SQLFLUFF = Path(sys.executable).parent / "sqlfluff"


def lint(root: Path, warehouse: Path, *paths: str) -> subprocess.CompletedProcess:
    # the dbt templater opens the profile's DuckDB file: a scratch one, not the user's lakehouse
    env = {**os.environ, "CCUS_WAREHOUSE_PATH": str(warehouse), "DO_NOT_TRACK": "1"}
    return subprocess.run([str(SQLFLUFF), "lint", *paths, "--processes", "1", "--disable-progress-bar"],
                          cwd=root, env=env, capture_output=True, text=True, timeout=1500)


def test_the_models_follow_the_sql_style(tmp_path):
    result = lint(REPO, tmp_path / "style.duckdb", "dbt_project/models")
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]


def test_a_style_violation_is_found(tmp_path):
    """A copy of the project with one model whose ORDER BY is ambiguous (AM03) and whose keyword
    is upper case among lower case ones (CP01)."""
    copy = tmp_path / "repo"
    shutil.copytree(REPO / "dbt_project", copy / "dbt_project",
                    ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"))
    shutil.copy(REPO / ".sqlfluff", copy / ".sqlfluff")
    model = copy / "dbt_project" / "models" / "staging" / "stg_planted.sql"
    model.write_text("select business_id, month\nFROM {{ ref('stg_businesses') }}\norder by business_id desc, month\n")
    result = lint(copy, tmp_path / "style.duckdb", "dbt_project/models/staging/stg_planted.sql")
    assert result.returncode != 0
    assert "AM03" in result.stdout and "CP01" in result.stdout
