"""The Great Expectations suites of one feed run on the bronze files of one ingestion run, in a
thread that starts on each file as soon as ingest() has committed it, instead of after the last
one: the checks (pandas and Arrow work that often releases the GIL) overlap the ingestion of
the next files (DuckDB, Arrow parsing, disk writes), which was the longest step at national scale.

The suites see exactly the tables they saw when run afterwards: the same files in the same
order, read by Lakehouse.iter_parquet in tables of at most max_rows rows, so the outcomes (and
the failure messages naming the first file of each table) are the same.
"""
from __future__ import annotations

import queue
import threading

from ccus import quality
from ccus.feeds.contract import Feed

SUITES = ("contract_suite", "plausible_ranges")


class BackgroundChecks:
    """add() each committed audit row, then finish() for {suite name: SuiteOutcome}."""

    def __init__(self, feed: Feed, lakehouse, max_rows: int):
        self.feed, self.lakehouse, self.max_rows = feed, lakehouse, max_rows
        self.paths: list[str] = []
        self._incoming: queue.Queue = queue.Queue()
        self._outcomes = {name: quality.SuiteOutcome(True) for name in SUITES}
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name=f"ccus-checks-{feed.name}", daemon=True)
        self._thread.start()

    def add(self, audit_row: dict) -> None:
        if audit_row.get("bronze_path"):
            self.paths.append(audit_row["bronze_path"])
            self._incoming.put(audit_row["bronze_path"])

    def finish(self) -> dict[str, quality.SuiteOutcome]:
        """Wait for the checks of every file added; re-raises what failed in the thread."""
        self._incoming.put(None)
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._outcomes

    def _committed_paths(self):
        while (path := self._incoming.get()) is not None:
            yield path

    def _run(self) -> None:
        try:
            suites = {"contract_suite": quality.contract_suite(self.feed),
                      "plausible_ranges": quality.range_suite(self.feed)}
            # Great Expectations validates a pandas frame: at most max_rows rows at a time
            # (fifty files at once was 13 M roster rows, ≈10 GB, at national scale)
            for first, table in self.lakehouse.iter_parquet(self._committed_paths(), self.max_rows):
                for name, suite in suites.items():
                    outcome = quality.validate(self.feed, table, suite)
                    total = self._outcomes[name]
                    total.passed &= outcome.passed
                    total.evaluated += outcome.evaluated
                    total.failures += [f"{first}…: {f}" for f in outcome.failures]
        except BaseException as e:  # noqa: BLE001 - handed to the caller by finish()
            self._error = e
            for _ in self._committed_paths():  # let finish() end the queue
                pass
