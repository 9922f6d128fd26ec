"""The Great Expectations suites of one feed run on the bronze files of one ingestion run, in a
worker process (ccus/quality_worker.py) that starts on each file as soon as ingest() has
committed it, instead of after the last one. The checks are mostly Python (GE, pandas): in a
thread they waited for the GIL behind the ingestion; in a process of their own they run beside it
on the other core. At national scale the checks took about as long as the ingestion itself.

The suites see exactly the tables they saw when run afterwards: the same files in the same
order, read by Lakehouse.iter_parquet in tables of at most max_rows rows, so the outcomes (and
the failure messages naming the first file of each table) are the same. One worker serves the
runs of a process one after another (importing GE costs seconds); it ends with its parent.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Mapping
from pathlib import Path

from ccus import quality
from ccus.feeds.contract import Feed


class QualityChecksFailed(RuntimeError):
    """The suites could not run (a file could not be read, the worker ended): not a failed check."""


class BackgroundChecks:
    """add() each committed audit row, then finish() for {suite name: SuiteOutcome}."""

    def __init__(self, feed: Feed, lakehouse, max_rows: int, environ: Mapping[str, str]):
        """`environ`: the worker process's environment (the settings', read at the entry point)."""
        self.feed = feed
        self.paths: list[str] = []
        self._worker = _Worker.acquire(environ)
        self._worker.send({"feed": feed.name, "root": lakehouse.root, "max_rows": max_rows})

    def add(self, audit_row: dict) -> None:
        if audit_row.get("bronze_path"):
            self.paths.append(audit_row["bronze_path"])
            self._worker.send({"path": audit_row["bronze_path"]})

    def finish(self) -> dict[str, quality.SuiteOutcome]:
        """Wait for the checks of every file added; raises QualityChecksFailed if they could not run."""
        try:
            self._worker.send({"end": True})
            answer = self._worker.answer()
        except (OSError, ValueError) as e:
            self._worker.stop()
            raise QualityChecksFailed(f"the quality checks' worker process ended: {e}") from None
        self._worker.release()
        if "error" in answer:
            raise QualityChecksFailed(f"{self.feed.name}: {answer['type']}: {answer['error']}")
        return {name: quality.SuiteOutcome(*outcome) for name, outcome in answer["ok"].items()}


class _Worker:
    """`python -m ccus.quality_worker`, fed JSON lines; one idle worker is kept per process."""

    _idle: list[_Worker] = []
    _lock = threading.Lock()

    def __init__(self, environ: Mapping[str, str]):
        self.environ = environ
        here = str(Path(__file__).resolve().parents[1])  # this checkout's ccus, whatever sys.path says
        env = dict(environ, PYTHONPATH=os.pathsep.join(filter(None, [here, environ.get("PYTHONPATH")])))
        self.process = subprocess.Popen([sys.executable, "-m", "ccus.quality_worker"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True, encoding="utf-8", bufsize=1, env=env)

    @classmethod
    def acquire(cls, environ: Mapping[str, str]) -> _Worker:
        """An idle worker started with the same environment (e.g. the same S3 endpoint), else a new one."""
        with cls._lock:
            for worker in list(cls._idle):
                if worker.process.poll() is not None:
                    cls._idle.remove(worker)
                elif worker.environ == environ:
                    cls._idle.remove(worker)
                    return worker
        return cls(environ)

    def release(self) -> None:
        with self._lock:
            self._idle.append(self)

    def send(self, message: dict) -> None:
        self.process.stdin.write(json.dumps(message, ensure_ascii=False) + "\n")

    def answer(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            raise OSError(f"exit code {self.process.wait()}")
        return json.loads(line)

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()

    def close(self) -> None:
        """End an idle worker the way it ends by itself (its stdin closed), and wait for it."""
        self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.stop()
        self.process.stdout.close()


def close_idle_workers() -> None:
    """End the idle workers kept for later runs (`ccus run` calls this when its runs are over)
    instead of leaving them to the interpreter's teardown."""
    with _Worker._lock:
        idle, _Worker._idle = _Worker._idle, []
    for worker in idle:
        worker.close()
