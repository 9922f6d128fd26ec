"""The process that runs the quality suites for ccus/quality_checks.py: `python -m
ccus.quality_worker`. It reads JSON lines on stdin, one job after another:

    {"feed": "rosters", "root": "<lakehouse root>", "max_rows": 200000}
    {"path": "bronze/rosters/date=…/….parquet"}      (each bronze file as it is committed)
    {"end": true}

and answers each job with one JSON line on stdout: {"ok": {suite: [passed, evaluated, failures]}}
(each failure a [first file of its table, message] pair)
or {"error": "<message>", "type": "<exception class>"}. It ends when stdin closes (its parent
ended). Anything the libraries print goes to stderr, so stdout carries only the answers.
"""
from __future__ import annotations

import json
import sys

from ccus import quality
from ccus.feeds.contract import FEEDS, Feed
from ccus.lakehouse import Lakehouse

SUITES = ("contract_suite", "plausible_ranges")


def run_suites(feed: Feed, lakehouse, paths, max_rows: int) -> dict[str, quality.SuiteOutcome]:
    """The contract and range suites over the bronze files `paths` (any iterable, consumed as it
    yields), in tables of at most max_rows rows."""
    suites = {"contract_suite": quality.contract_suite(feed), "plausible_ranges": quality.range_suite(feed)}
    outcomes = {name: quality.SuiteOutcome(True) for name in SUITES}
    # Great Expectations validates a pandas frame: at most max_rows rows at a time
    # (fifty files at once was 13 M roster rows, ≈10 GB, at national scale)
    for first, table in lakehouse.iter_parquet(paths, max_rows):
        for name, suite in suites.items():
            outcome = quality.validate(feed, table, suite)
            total = outcomes[name]
            total.passed &= outcome.passed
            total.evaluated += outcome.evaluated
            total.failures += [quality.TableFailure(first, message) for message in outcome.messages]
    return outcomes


class _Paths:
    """The paths of one job as they arrive on stdin, up to its end (read once)."""

    def __init__(self, lines):
        self.lines, self.ended = lines, False

    def __iter__(self):
        while not self.ended:
            line = next(self.lines, None)
            if line is None:
                raise SystemExit(0)  # stdin closed: the parent is gone, and so is its work
            message = json.loads(line)
            if message.get("end"):
                self.ended = True
            else:
                yield message["path"]


def main() -> int:
    answers = sys.stdout
    sys.stdout = sys.stderr  # whatever a library prints must not mix with the answers
    lines = iter(sys.stdin)
    for line in lines:
        job = json.loads(line)
        paths = _Paths(lines)
        try:
            outcomes = run_suites(FEEDS[job["feed"]], Lakehouse(job["root"]), paths, job["max_rows"])
            answer = {"ok": {name: [o.passed, o.evaluated, o.failures] for name, o in outcomes.items()}}
        except Exception as e:  # noqa: BLE001 - handed to the parent, which raises it
            for _ in paths:  # the rest of this job's paths
                pass
            answer = {"error": str(e), "type": type(e).__name__}
        answers.write(json.dumps(answer, ensure_ascii=False) + "\n")
        answers.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
