"""The layers hold: import-linter's contracts of pyproject.toml ([tool.importlinter]) are kept.

orchestration -> assets -> ccus | dashboards; the pages import no Dagster; the platform does not
import the simulator. A contract that breaks names the offending import in the failure."""
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def test_the_import_contracts_are_kept():
    result = subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout and "layers point down" in result.stdout.lower()


def test_a_broken_layer_is_caught(tmp_path):
    """The contracts bite: a copy of the packages where an asset imports orchestration fails."""
    for package in ("orchestration", "assets", "ccus", "dashboards", "simulator"):
        shutil.copytree(REPO / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    with open(tmp_path / "assets" / "gold.py", "a") as module:
        module.write("\nimport orchestration.definitions  # planted: an upward import\n")
    result = subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=tmp_path, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode != 0
    assert "assets.gold -> orchestration.definitions" in result.stdout
