"""The installed `ccus` command exits with its own status even when the interpreter's teardown
would abort (orchestration.cli.entry: a native library's thread once killed a finished
`ccus run` with SIGABRT after it had printed "OK")."""
from __future__ import annotations

import subprocess
import sys
import textwrap

# An exit handler that aborts stands in for the native thread: it runs in the teardown that
# entry() skips, and would turn the command's status 0 into -6 (SIGABRT).
_SCRIPT = textwrap.dedent("""
    import atexit, os, sys
    atexit.register(os.abort)
    from orchestration import cli
    sys.argv = ["ccus", "simulate", "--scale", "tiny", "--days", "1", "--out", sys.argv[1]]
    cli.{function}()
""")


def _run(function: str, out) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", _SCRIPT.format(function=function), str(out)],
                          capture_output=True, text=True, timeout=300)


def test_the_command_keeps_its_status_when_the_teardown_would_abort(tmp_path):
    aborted = _run("main", tmp_path / "a")     # main() alone: the teardown runs and aborts
    assert aborted.returncode == -6
    finished = _run("entry", tmp_path / "b")
    assert finished.returncode == 0, finished.stderr[-2000:]
    assert (tmp_path / "b" / "simulation.json").exists()
    assert finished.stdout.strip(), "what the command printed was flushed before it left"
