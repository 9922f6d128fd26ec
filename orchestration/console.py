"""What `ccus run` shows while it runs: on a terminal one live display (rich), without one (CI,
a scheduler, a pipe) a plain line when a step ends and at most one a minute while it runs.

Both are assets.resources.Progress: the steps report to them through the run's `progress` resource
(assets/), from the events of the run itself (files committed, dagster-dbt's events, pages
written), never by watching files.
"""
from __future__ import annotations

import threading
import time
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, ProgressColumn, TextColumn
from rich.progress import Progress as RichProgress
from rich.progress import TimeRemainingColumn
from rich.text import Text

from ccus.printable import printable
from assets.resources import Progress


class _Rate(ProgressColumn):
    """Units per second (files, nodes); rows per second show in the summary's figures."""

    def render(self, task) -> Text:
        speed = task.speed
        # whole units: "5,265 nodes/s", not "5,264.6 nodes/s" (every character counts on 120 columns)
        return Text(f"{speed:,.0f} {task.fields.get('unit', '')}/s" if speed else "", style="progress.data.speed")


class LiveProgress(Progress):
    """One row per task: name, bar, done/total, rows, rate, time left, the node at hand.

    The columns are shared by all rows and must fit 120 columns together (name 17, bar 12,
    done/total 7+, unit 5, rows 14, rate 13, time 7, node 20, separators 8): wider, and rich
    shrinks the done/total column to "9…", which is what the reader needs most.

    Redrawn by the thread that reports (at most every `every` seconds, and when a task ends),
    not by rich's refresh thread: rich's Live.stop() does not join that daemon thread, and a
    thread still running when the interpreter finalises is what `ccus run` must not leave.

    Narrower than 120 columns, the rate and the node at hand are left out (name, bar, done/total,
    unit, rows and time left need 72)."""

    FULL_WIDTH = 120

    def __init__(self, stream: TextIO, every: float = 0.25):
        console = Console(file=stream)
        columns = [TextColumn("[bold]{task.description}"), BarColumn(bar_width=12), MofNCompleteColumn(),
                   TextColumn("{task.fields[unit]}"), TextColumn("{task.fields[rows_text]}")]
        if console.width >= self.FULL_WIDTH:
            columns += [_Rate(), TimeRemainingColumn(), TextColumn("[dim]{task.fields[current]}")]
        else:  # a narrower terminal (80 columns, or COLUMNS set so) keeps done/total whole
            columns += [TimeRemainingColumn()]
        self._display = RichProgress(*columns, console=console, transient=False, auto_refresh=False)
        self._tasks: dict[str, int] = {}
        self._lock = threading.Lock()
        self._every, self._drawn = every, 0.0

    def __enter__(self) -> LiveProgress:
        self._display.start()
        return self

    def __exit__(self, *exc) -> None:
        self._display.stop()

    def update(self, task, done, total=None, *, unit="files", rows=None, current=None) -> None:
        if total == 0:
            return  # nothing to do in this step: no row for it
        total = max(total, done) if total is not None else None
        fields = {"unit": unit, "rows": rows, "rows_text": f"{rows:,} rows" if rows is not None else "",
                  "current": printable(current or "")[:20]}
        with self._lock:
            if task not in self._tasks:
                self._tasks[task] = self._display.add_task(task, total=total, **fields)
            self._display.update(self._tasks[task], completed=done, total=total, **fields)
            now = time.monotonic()
            if now - self._drawn >= self._every or (total is not None and done >= total):
                self._display.refresh()
                self._drawn = now


class PlainProgress(Progress):
    """A line when a step has ended, and one a minute (`every` seconds) while a long one runs."""

    def __init__(self, stream: TextIO, every: float = 60.0):
        self.stream, self.every = stream, every
        self._started: dict[str, float] = {}
        self._said: dict[str, float] = {}
        self._ended: set[str] = set()

    def update(self, task, done, total=None, *, unit="files", rows=None, current=None) -> None:
        if total == 0 or task in self._ended:
            return
        now = time.monotonic()
        started = self._started.setdefault(task, now)
        ended = total is not None and done >= total
        if not ended and now - self._said.get(task, started) < self.every:
            return
        self._said[task] = now
        of = f"{done:,}/{total:,}" if total is not None else f"{done:,}"
        line = f"{task}: {of} {unit}" + (f", {rows:,} rows" if rows is not None else "")
        line += f" in {now - started:.0f} s" if ended else f" ({now - started:.0f} s so far)"
        if ended:
            self._ended.add(task)
        print(line, file=self.stream, flush=True)


def progress_for(stream: TextIO, quiet: bool, verbose: bool) -> Progress:
    """Nothing with --quiet; the live display on a terminal (unless --verbose, whose log lines
    would scroll it away); plain lines otherwise."""
    if quiet:
        return Progress()
    if stream.isatty() and not verbose:
        return LiveProgress(stream)
    return PlainProgress(stream)

