"""The dbt models follow the project's SQL style: sqlfluff with the dbt templater (.sqlfluff says
which rules and why) finds nothing in them, and it does find a planted violation. One lint of a
copy of the project with one planted model (the dbt templater compiles the whole project: one
run, not two)."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SQLFLUFF = Path(sys.executable).parent / "sqlfluff"
PLANTED = "dbt_project/models/staging/stg_planted.sql"


def test_the_models_follow_the_sql_style_and_a_planted_violation_is_found(tmp_path):
    copy = tmp_path / "repo"
    shutil.copytree(REPO / "dbt_project", copy / "dbt_project",
                    ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"))
    shutil.copy(REPO / ".sqlfluff", copy / ".sqlfluff")
    # an ambiguous ORDER BY (AM03) and an upper-case keyword among lower-case ones (CP01)
    (copy / PLANTED).write_text("select business_id, month\nFROM {{ ref('stg_businesses') }}\n"
                                "order by business_id desc, month\n")
    # the dbt templater opens the profile's DuckDB file: a scratch one, not the user's lakehouse
    env = {**os.environ, "CCUS_WAREHOUSE_PATH": str(tmp_path / "style.duckdb"), "DO_NOT_TRACK": "1"}
    result = subprocess.run([str(SQLFLUFF), "lint", "dbt_project/models", "--processes", "1", "--format", "json",
                             "--disable-progress-bar"], cwd=copy, env=env, capture_output=True, text=True, timeout=1800)
    files = json.loads(result.stdout)
    assert len(files) > 50                                    # every model was linted
    found = {f["filepath"]: sorted({v["code"] for v in f["violations"]}) for f in files if f["violations"]}
    assert found == {PLANTED: ["AM03", "CP01"]}, found
