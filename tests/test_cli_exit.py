"""The installed `ccus` command exits with its own status even when the interpreter's teardown
would abort (orchestration.cli.entry: a native library's thread once killed a finished
`ccus run` with SIGABRT after it had printed "OK"), and still runs the exit handlers."""
from __future__ import annotations

import subprocess
import sys
import textwrap

# A module-level object whose finaliser aborts stands in for the native thread: it dies in the
# interpreter's teardown (the module's globals are cleared), which entry() skips, and would turn
# the command's status 0 into -6 (SIGABRT). The semaphore is what the publication's worker
# processes leave: multiprocessing cleans it up in its exit handler, else its resource tracker
# prints a warning about a leak on the terminal.
_SCRIPT = textwrap.dedent("""
    import multiprocessing, os, sys
    from orchestration import cli

    class AbortsInTeardown:
        def __del__(self):
            os.abort()

    stand_in = AbortsInTeardown()
    counter = multiprocessing.get_context("spawn").Value("q", 0)
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
    assert "leaked semaphore" not in finished.stderr, "the exit handlers ran"
