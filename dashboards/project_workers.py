"""The project site pages written by several processes: the publishing one and spawned workers.

A national publication has about 64 000 site pages, each independent of the others and most of
the publish time. Worker processes are *spawned* (not forked: the publishing process may hold
threads — Dagster's, Arrow's — which a fork would copy mid-flight); each loads the site-level
marts itself, then every process takes chunks of sites from one shared counter and writes their
pages until none are left. A process slowed by other work on the machine simply takes fewer
chunks. The publishing process starts the workers once it has read the site list, writes the
project index pages while they load, then joins in. A worker whose publishing process is gone
stops after its chunk.

Only between local folders: a worker reopens the gold and the projects' location by path (an
in-memory filesystem would be empty in another process; object stores publish serially).
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import date

from fsspec.implementations.local import LocalFileSystem

from . import project
from .io import Location, write_atomic

CHUNK = 400          # sites per take: ~0.3 s of work, fine enough to even out the processes
MIN_SITES = 2000     # fewer site pages than this are not worth starting a process (~3 s to import)

_worker: dict = {}   # in a worker process: its marts, its sites, where it writes, the counter


def worth_it(gold: Location, site_at: Location, sites: int, workers: int) -> bool:
    """Whether worker processes should write the site pages beside the publishing process."""
    local = isinstance(gold.fs, LocalFileSystem) and isinstance(site_at.fs, LocalFileSystem)
    return local and workers > 1 and sites >= MIN_SITES


def _take(counter, total: int) -> range | None:
    """The next chunk of site indexes, or None when every site is taken."""
    with counter.get_lock():
        start = counter.value
        if start >= total:
            return None
        counter.value = min(start + CHUNK, total)
    return range(start, min(start + CHUNK, total))


def write_chunks(data: project.ProjectData, sites: list[dict], site_at: Location, counter,
                 go_on=lambda: True) -> dict[int, list[str]]:
    """Take chunks until none are left (or ``go_on()`` is false); write each page.
    {first index of a chunk: written paths}."""
    written = {}
    while go_on() and (chunk := _take(counter, len(sites))) is not None:
        written[chunk.start] = [write_atomic(site_at, path, html.encode("utf-8"))
                                for path, html in project.site_pages(data, (sites[i] for i in chunk))]
    return written


def _start_worker(gold: Location, as_of: date | None, sites: list[dict], site_at: Location, counter) -> None:
    # the sites come from the publishing process: chunk i is the same site in every process
    _worker.update(data=project.load(gold, as_of), sites=sites, site_at=site_at, counter=counter)


def _run_worker() -> dict[int, list[str]]:
    parent = multiprocessing.parent_process()
    return write_chunks(_worker["data"], _worker["sites"], _worker["site_at"], _worker["counter"],
                        go_on=lambda: parent is None or parent.is_alive())


class SitePageWorkers:
    """Worker processes writing site pages beside this one: :meth:`start`, then :meth:`join`."""

    def __init__(self, pool: ProcessPoolExecutor, futures: list[Future], counter):
        self._pool, self._futures, self._counter = pool, futures, counter

    @classmethod
    def start(cls, gold: Location, as_of: date | None, sites: list[dict], site_at: Location,
              workers: int) -> "SitePageWorkers":
        """``workers - 1`` processes (this one is the last) writing the pages of ``sites`` (records
        of ProjectData.sites), each loading the marts under ``gold`` itself (local folders: the
        Locations are pickled to the workers)."""
        context = multiprocessing.get_context("spawn")
        counter = context.Value("q", 0)
        pool = ProcessPoolExecutor(max_workers=workers - 1, mp_context=context, initializer=_start_worker,
                                   initargs=(gold, as_of, sites, site_at, counter))
        return cls(pool, [pool.submit(_run_worker) for _ in range(workers - 1)], counter)

    def join(self, data: project.ProjectData, sites: list[dict], site_at: Location) -> list[str]:
        """Write site pages here too until none are left; every site page's path, in site order."""
        try:
            written = write_chunks(data, sites, site_at, self._counter)
            for future in self._futures:
                written.update(future.result())
        finally:
            self.stop()
        return [path for start in sorted(written) for path in written[start]]

    def stop(self) -> None:
        """No more chunks are handed out (a failure elsewhere); wait for the workers to finish."""
        with self._counter.get_lock():
            self._counter.value = 2**62
        self._pool.shutdown(wait=True)
