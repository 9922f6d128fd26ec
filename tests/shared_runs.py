"""End-to-end runs that several test modules read, made once per `make test`.

A real `ccus run` costs the most of anything in the suite. Modules that only *read* the result of
the same run share it: the first worker that needs it builds it under an exclusive lock in the
session's common temporary folder (one per pytest run, shared by the xdist workers); the others
wait for it and read it. A failed build leaves no `.done` mark, so the next module tries again
and reports its own failure."""
from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

CCUS = str(Path(sys.executable).parent / "ccus")


def common_root(tmp_path_factory) -> Path:
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@contextmanager
def _exclusive(lock_file: Path):
    with open(lock_file, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def once(tmp_path_factory, name: str, make: Callable[[Path], None]) -> Path:
    """The folder `name` in the common root, made by `make(folder)` the first time it is asked for."""
    root = common_root(tmp_path_factory)
    folder = root / name
    with _exclusive(root / f"{name}.lock"):
        if not (folder / ".done").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            (folder / ".done").touch()
    return folder


def ccus_run(inbox: Path, lakehouse: Path, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([CCUS, "run", "--inbox", str(inbox), "--lakehouse", str(lakehouse)],
                          capture_output=True, text=True, timeout=900, **kw)


def run_into(folder: Path, **kw) -> None:
    """`ccus run` of folder/inbox into folder/lh; its summary kept in folder/stdout.txt."""
    out = ccus_run(folder / "inbox", folder / "lh", **kw)
    (folder / "stdout.txt").write_text(out.stdout)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
