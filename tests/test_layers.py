"""The layers hold: import-linter's contracts of pyproject.toml ([tool.importlinter]) are kept.

orchestration -> assets -> dashboards -> ccus, the pages using ccus.storage and nothing else of
ccus; the pages import no Dagster; the platform does not import the simulator. A contract that
breaks names the offending import in the failure. And no project module is imported inside a
function."""
import ast
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def test_the_import_contracts_are_kept():
    result = subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout and "layers point down" in result.stdout.lower()


def _lint_a_copy_with(tmp_path, planted: dict[str, str]) -> subprocess.CompletedProcess:
    """lint-imports over a copy of the packages with ``planted`` lines appended to modules."""
    for package in ("orchestration", "assets", "ccus", "dashboards", "simulator"):
        shutil.copytree(REPO / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    for relative, line in planted.items():
        with open(tmp_path / relative, "a") as module:
            module.write(f"\n{line}\n")
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=600)


def test_a_broken_layer_is_caught(tmp_path):
    """The contracts bite: a copy of the packages where an asset imports orchestration, and a page
    imports the settings of ccus, fails on both."""
    result = _lint_a_copy_with(tmp_path, {
        "assets/gold.py": "import orchestration.definitions  # planted: an upward import",
        "dashboards/render.py": "import ccus.settings  # planted: the pages reach past ccus.storage"})
    assert result.returncode != 0
    assert "assets.gold -> orchestration.definitions" in result.stdout
    assert "dashboards.render -> ccus.settings" in result.stdout


def test_the_pages_cannot_reach_ccus_through_storage(tmp_path):
    """ccus.storage must stay free of the rest of ccus: were it to import the lakehouse, every page
    using it would reach ccus indirectly, and the contract says so."""
    result = _lint_a_copy_with(tmp_path, {"ccus/storage.py": "import ccus.lakehouse  # planted"})
    assert result.returncode != 0
    broken = result.stdout[result.stdout.index("The pages use ccus.storage and nothing else of ccus BROKEN"):]
    assert "ccus.storage -> ccus.lakehouse" in broken


def test_the_pages_contract_names_every_module_of_ccus_but_storage():
    """import-linter has no "all of ccus but storage": the forbidden list names each module, and a
    ccus module added later without being listed fails here (the pages could import it)."""
    contracts = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    forbidden = set(next(c for c in contracts if c["id"] == "pages-storage-only")["forbidden_modules"])
    ccus = REPO / "ccus"
    modules = {"ccus." + p.relative_to(ccus).parts[0].removesuffix(".py")
               for p in ccus.rglob("*.py") if p != ccus / "__init__.py"}
    assert modules - {"ccus.storage"} == forbidden


PROJECT = ("ccus", "assets", "orchestration", "dashboards", "simulator")


def function_local_project_imports(root: Path) -> list[str]:
    """'file:line: import' for each import of a project module inside a function (or a method)."""
    found = []
    for package in (*PROJECT, "bench"):
        for path in sorted((root / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for function in ast.walk(tree):
                if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                for node in ast.walk(function):
                    if isinstance(node, ast.Import):
                        names = [alias.name for alias in node.names]
                    elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                        names = [node.module]
                    elif isinstance(node, ast.ImportFrom):   # a relative import is the project's own
                        names = [f"{package}.(relative)"]
                    else:
                        continue
                    if any(name.split(".")[0] in PROJECT for name in names):
                        found.append(f"{path.relative_to(root)}:{node.lineno}: {ast.unparse(node)}")
    return sorted(set(found))


def test_no_project_module_is_imported_inside_a_function():
    """An import placed in a function hides a cycle or an import-time dependency (the issue's
    "no function-local import of a project module"): every one is at the top of its module."""
    found = function_local_project_imports(REPO)
    assert found == [], "\n".join(found)


def test_a_function_local_import_is_caught(tmp_path):
    for package in (*PROJECT, "bench"):
        (tmp_path / package).mkdir()
    (tmp_path / "assets" / "planted.py").write_text(
        "import json\n\n\nclass A:\n    def m(self):\n        import json as j\n"
        "        from ccus.lakehouse import Lakehouse  # planted\n        return Lakehouse, j, json\n")
    assert function_local_project_imports(tmp_path) == [
        "assets/planted.py:7: from ccus.lakehouse import Lakehouse"]
