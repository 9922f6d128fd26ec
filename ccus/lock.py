"""One writer at a time: an exclusive lock beside the DuckDB warehouse.

`ccus run` and the dbt asset take it; a second run waits up to its patience and is then refused
cleanly (nothing written), so the DuckDB file is never written by two processes. Re-entrant
within one process (the run holds it while its own dbt step asks again).
"""
from __future__ import annotations

import fcntl
import os
import time
from contextlib import contextmanager
from pathlib import Path

_held: dict[str, int] = {}  # lock path -> depth, in this process


class LakehouseBusy(RuntimeError):
    pass


@contextmanager
def writer_lock(warehouse_path: str, wait_seconds: float = 0.0):
    path = str(Path(warehouse_path).resolve()) + ".lock"
    if path in _held:
        _held[path] += 1
        try:
            yield
        finally:
            _held[path] -= 1
        return
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + wait_seconds
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 200, 0).decode(errors="replace").strip() or "another process"
                    raise LakehouseBusy(f"{warehouse_path} is being written by {holder}; "
                                        f"refused after waiting {wait_seconds:.0f} s (nothing was changed)") from None
                time.sleep(0.5)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"ccus run pid {os.getpid()} since {time.strftime('%Y-%m-%d %H:%M:%S')}".encode(), 0)
        _held[path] = 1
        try:
            yield
        finally:
            del _held[path]
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
