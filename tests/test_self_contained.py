"""A clone of the repository alone runs its tests: nothing reads outside it (no ../shared/).

The published reference figures the seeds and the calibration tests rely on live in
reference/. The proof copies the tracked files into a folder with nothing beside it and runs
the tests that read those figures there.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# A path that climbs out of the repository to the shared folder (prose naming the spec is fine).
OUTSIDE = re.compile(r"""(\.\./shared|parent\s*/\s*["']shared["']|parents\[\d\]\s*/\s*["']shared["'])""")


def _tracked() -> list[str]:
    out = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    return [line for line in out.splitlines() if line]


def test_no_tracked_file_reads_outside_the_repository():
    offenders = []
    for name in _tracked():
        if name.startswith("reference/") or name == "tests/test_self_contained.py":
            continue
        path = REPO / name
        if path.suffix not in {".py", ".sql", ".yml", ".yaml", ".toml", ".cfg", ".sh", ""} and path.name != "Makefile":
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        offenders += [f"{name}: {m.group(0)}" for m in OUTSIDE.finditer(text)]
    assert offenders == []


def test_reference_tests_pass_in_a_clone_with_nothing_beside_it(tmp_path):
    clone = tmp_path / "alone" / "ccus-platform"
    for name in _tracked():
        target = clone / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, target)
    assert not (clone.parent / "shared").exists()
    # The clone's own packages come first on the path (python -m pytest puts the cwd there).
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
         "tests/test_calibration.py", "tests/test_wages_levels.py", "-k", "reference or calibrat or published"],
        cwd=clone, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    passed = re.search(r"(\d+) passed", result.stdout)
    assert passed and int(passed.group(1)) >= 10, result.stdout[-2000:]
