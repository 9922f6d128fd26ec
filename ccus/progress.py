"""How far a run is, reported as it goes: files and rows per feed, dbt nodes, pages.

The steps call `update` with what they have just done; the entry point decides what to show
(orchestration/console.py: a live display on a terminal, a few plain lines otherwise). This
base reports nothing: runs started by the Dagster daemon or the UI show their events there.
"""
from __future__ import annotations


class Progress:
    """One task per name (e.g. "ingest attendance", "dbt build", "pages"), updated in place;
    used as a context manager around the run (a live display starts and stops with it)."""

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc) -> None:
        return None

    def update(self, task: str, done: int, total: int | None = None, *, unit: str = "files",
               rows: int | None = None, current: str | None = None) -> None:
        """`done` of `total` (None: not known in advance) `unit`s of `task`; `rows` read so far,
        `current`: what it is working on (a model's name)."""
