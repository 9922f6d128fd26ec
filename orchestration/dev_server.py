"""`ccus dev`: the Dagster UI as a supervised child that stops with its children on Ctrl-C/SIGTERM.

`dagster dev` shuts its webserver, daemon and code servers down cleanly in a few seconds when
*it alone* gets SIGINT or SIGTERM. When the signal reaches its whole process group at once (Ctrl-C
in a terminal, `kill -- -PGID`), the code servers die first and its proxy manager restarts them
while it shuts down, leaving orphans alive. So `dagster dev` runs in a session of its own, this
process forwards the first signal to it only, and after a grace period kills whatever is left of
that session.
"""
from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Sequence

GRACE_SECONDS = 6.0   # dagster dev needs ≈6 s on an idle 2-core machine; after that the rest is killed (the stop must end within 10 s)


def supervise(command: Sequence[str], *, cwd: str, env: dict[str, str], grace: float = GRACE_SECONDS) -> int:
    """Run ``command`` in its own session until it exits or this process is asked to stop."""
    child = subprocess.Popen(list(command), cwd=cwd, env=env, start_new_session=True)
    stop_requested: list[int] = []

    def forward(signum, _frame):
        if not stop_requested:
            stop_requested.append(signum)
            _signal_quietly(child.pid, signal.SIGTERM, group=False)

    previous = {s: signal.signal(s, forward) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        while child.poll() is None and not stop_requested:
            time.sleep(0.2)
        if stop_requested:
            deadline = time.monotonic() + grace
            while child.poll() is None and time.monotonic() < deadline:
                time.sleep(0.1)
        # Whatever is left of the session (the child itself, or servers it started) goes now.
        _signal_quietly(child.pid, signal.SIGKILL, group=True)
        child.wait()
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    return 128 + stop_requested[0] if stop_requested else child.returncode


def _signal_quietly(pid: int, signum: int, *, group: bool) -> None:
    try:
        (os.killpg if group else os.kill)(pid, signum)
    except ProcessLookupError:   # already gone
        pass
