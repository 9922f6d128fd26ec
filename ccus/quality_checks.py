"""The Great Expectations suites of one feed run on the bronze files of one ingestion run, in a
worker process (ccus/quality_worker.py) that starts on each file as soon as ingest() has
committed it, instead of after the last one. The checks are mostly Python (GE, pandas): in a
thread they waited for the GIL behind the ingestion; in a process of their own they run beside it
on the other core. At national scale the checks took about as long as the ingestion itself.

With one worker the suites see exactly the tables they saw when run afterwards: the same files
in the same order, read by Lakehouse.iter_parquet in tables of at most max_rows rows, so the
outcomes (and the failure messages naming the first file of each table) are the same. With
`workers` of them (the ingestion's own number of worker processes) the files are dealt out in
turn, the second worker started only when a second file comes: each worker's tables are those
of its own files, so the pass or fail is the same, the failures are given back in file order,
each naming the first file of its table, and the count of expectations evaluated is that of
the tables each worker formed. A national month's checks took half a minute on one core after
its files were all ingested; dealt out, both cores take them. One worker serves the runs of a
process one after another (importing GE costs seconds); it ends with its parent.
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

    def __init__(self, feed: Feed, lakehouse, max_rows: int, environ: Mapping[str, str], workers: int = 1):
        """`environ`: the worker processes' environment (the settings', read at the entry point);
        `workers`: at most this many run the checks, the files dealt out among them in turn."""
        self.feed = feed
        self.paths: list[str] = []
        self._job = {"feed": feed.name, "root": lakehouse.root, "max_rows": max_rows}
        self._environ = environ
        self._most = max(1, workers)
        self._workers: list[_Worker] = []
        self._start_worker()

    def _start_worker(self) -> None:
        worker = _Worker.acquire(self._environ)
        worker.send(self._job)
        self._workers.append(worker)

    def add(self, audit_row: dict) -> None:
        if audit_row.get("bronze_path"):
            turn = len(self.paths) % self._most
            if turn == len(self._workers):
                self._start_worker()
            self.paths.append(audit_row["bronze_path"])
            self._workers[turn].send({"path": audit_row["bronze_path"]})

    def finish(self) -> dict[str, quality.SuiteOutcome]:
        """Wait for the checks of every file added; raises QualityChecksFailed if they could not run."""
        answers, ended = [], None
        for worker in self._workers:
            try:
                worker.send({"end": True})
                answers.append(worker.answer())
            except (OSError, ValueError) as e:
                worker.stop()
                ended = ended or e
            else:
                worker.release()
        if ended is not None:
            raise QualityChecksFailed(f"the quality checks' worker process ended: {ended}")
        for answer in answers:
            if "error" in answer:
                raise QualityChecksFailed(f"{self.feed.name}: {answer['type']}: {answer['error']}")
        return {name: self._merged([_outcome(*answer["ok"][name]) for answer in answers]) for name in answers[0]["ok"]}

    def _merged(self, outcomes: list[quality.SuiteOutcome]) -> quality.SuiteOutcome:
        """One suite's outcomes in the workers as one: the failures in the order of the files
        their tables begin with (sorted stably, so one worker's order is kept as it is)."""
        order = {path: i for i, path in enumerate(self.paths)}
        failures = sorted((f for o in outcomes for f in o.failures), key=lambda f: order.get(f.first_file, len(order)))
        return quality.SuiteOutcome(all(o.passed for o in outcomes), sum(o.evaluated for o in outcomes), failures)


def _outcome(passed: bool, evaluated: int, failures: list[list[str]]) -> quality.SuiteOutcome:
    """A suite's outcome as a worker answers it (its failures as [first file, message] pairs)."""
    return quality.SuiteOutcome(passed, evaluated, [quality.TableFailure(*pair) for pair in failures])


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
